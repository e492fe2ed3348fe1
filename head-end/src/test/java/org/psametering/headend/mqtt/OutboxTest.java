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

    /**
     * Retained state (an announcement, a sparse epoch's 10 000 per-meter key sets, a deletion) is bounded by its
     * topics, not by the capacity for results: dropping one would leave a meter without its key set and the epoch
     * stuck, while the link is up and nothing retries it.
     */
    @Test
    void retainedStateIsNeverDroppedForCapacityOnlyTheOldestResultIs() {
        Outbox outbox = new Outbox(3);
        outbox.add(new Publication("result", new byte[]{0}, false));
        for (byte i = 0; i < 5; i++) {
            outbox.add(new Publication("keyset/meter-" + i, new byte[]{i}, true));
        }
        assertEquals(0, outbox.dropped(), "five retained topics fit whatever the capacity for results");
        for (byte i = 1; i < 5; i++) {
            outbox.add(new Publication("result", new byte[]{i}, false));
        }
        assertEquals(2, outbox.dropped(), "five results in all, room for three: the two oldest results go, no retained state");
        List<Publication> sent = drain(outbox);
        assertEquals(8, sent.size());
        assertEquals(5, sent.stream().filter(Publication::retained).count());
        assertEquals(List.of((byte) 2, (byte) 3, (byte) 4), sent.stream().filter(p -> !p.retained())
                .map(p -> p.payload()[0]).toList());
    }

    @Test
    void aNewerRetainedStateReplacesTheQueuedOneAlsoWhenTheOlderWasRefusedAtOnce() {
        Outbox outbox = new Outbox(10);
        Publication older = new Publication("a", new byte[]{1}, true);
        outbox.add(older);
        outbox.sending(older);
        outbox.add(new Publication("a", new byte[]{2}, true));
        outbox.notSent(older);
        List<Publication> sent = drain(outbox);
        assertEquals(1, sent.size(), "the superseded state is not sent after the newer one");
        assertArrayEquals(new byte[]{2}, sent.get(0).payload());
        assertEquals(0, outbox.size());
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
