package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OutboxTest {
    private static List<Publication> drain(Outbox outbox) {
        List<Publication> out = new ArrayList<>();
        Publication next;
        while ((next = outbox.peek()) != null) {
            outbox.remove(next);
            out.add(next);
        }
        return out;
    }

    @Test
    void keepsOrderAndOnlyTheLatestRetainedStatePerTopic() {
        Outbox outbox = new Outbox(100);
        outbox.add(new Publication("r", new byte[]{1}, false));
        outbox.add(new Publication("a", new byte[]{1}, true));
        outbox.add(new Publication("r", new byte[]{2}, false));
        outbox.add(new Publication("a", new byte[]{2}, true));
        List<Publication> sent = drain(outbox);
        assertEquals(List.of("r", "r", "a"), sent.stream().map(Publication::topic).toList());
        assertArrayEquals(new byte[]{1}, sent.get(0).payload());
        assertArrayEquals(new byte[]{2}, sent.get(1).payload());
        assertArrayEquals(new byte[]{2}, sent.get(2).payload(), "the newer retained state wins");
        assertNull(outbox.peek());
    }

    @Test
    void whenFullTheOldestIsDroppedAndCounted() {
        Outbox outbox = new Outbox(3);
        for (byte i = 0; i < 5; i++) {
            outbox.add(new Publication("r", new byte[]{i}, false));
        }
        assertEquals(3, outbox.size());
        assertEquals(2, outbox.dropped());
        assertArrayEquals(new byte[]{2}, outbox.peek().payload());
    }

    @Test
    void removeOnlyTakesTheHeadItWasGiven() {
        Outbox outbox = new Outbox(10);
        Publication first = new Publication("r", new byte[]{1}, false);
        outbox.add(first);
        outbox.remove(new Publication("r", new byte[]{1}, false));
        assertEquals(1, outbox.size(), "an equal but different publication is not the head");
        outbox.remove(first);
        assertEquals(0, outbox.size());
    }
}
