package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OutboxTest {
    private static List<Publication> drain(Outbox outbox) {
        List<Publication> out = new ArrayList<>();
        Publication next;
        while ((next = outbox.peek()) != null) {
            outbox.sending(next);
            outbox.acknowledged(next);
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
    void sendingOnlyTakesTheHeadItWasGiven() {
        Outbox outbox = new Outbox(10);
        Publication first = new Publication("r", new byte[]{1}, false);
        outbox.add(first);
        outbox.sending(new Publication("r", new byte[]{1}, false));
        assertSame(first, outbox.peek(), "an equal but different publication is not the head");
        outbox.sending(first);
        assertNull(outbox.peek());
        assertEquals(1, outbox.size(), "in flight until its PUBACK");
        outbox.acknowledged(first);
        assertEquals(0, outbox.size());
    }

    @Test
    void whatWasInFlightAtADropGoesBackToTheFrontInItsOrder() {
        Outbox outbox = new Outbox(10);
        Publication r1 = new Publication("r", new byte[]{1}, false);
        Publication r2 = new Publication("r", new byte[]{2}, false);
        Publication r3 = new Publication("r", new byte[]{3}, false);
        Publication r4 = new Publication("r", new byte[]{4}, false);
        List.of(r1, r2, r3).forEach(outbox::add);
        outbox.sending(r1);
        outbox.sending(r2);
        outbox.sending(r3);
        outbox.acknowledged(r2);
        outbox.add(r4);
        assertEquals(2, outbox.requeueInFlight());
        assertEquals(List.of(r1, r3, r4), drain(outbox), "unacknowledged ones first, oldest first, then the queue");
    }

    @Test
    void aRetainedStateSupersededWhileInFlightIsNotRequeued() {
        Outbox outbox = new Outbox(10);
        Publication old = new Publication("a", new byte[]{1}, true);
        Publication newer = new Publication("a", new byte[]{2}, true);
        outbox.add(old);
        outbox.sending(old);
        outbox.add(newer);
        assertEquals(0, outbox.requeueInFlight());
        assertEquals(List.of(newer), drain(outbox));
    }

    @Test
    void aPublicationTheClientRefusedAtOnceIsNextAgainAndOneTheBrokerRefusedIsCountedAsDropped() {
        Outbox outbox = new Outbox(10);
        Publication r1 = new Publication("r", new byte[]{1}, false);
        Publication r2 = new Publication("r", new byte[]{2}, false);
        outbox.add(r1);
        outbox.add(r2);
        outbox.sending(r1);
        outbox.notSent(r1);
        assertSame(r1, outbox.peek());
        outbox.sending(r1);
        outbox.refused(r1);
        assertEquals(1, outbox.dropped());
        assertEquals(List.of(r2), drain(outbox));
    }
}
