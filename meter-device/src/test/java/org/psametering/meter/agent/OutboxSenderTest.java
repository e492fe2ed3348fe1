package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.outbox.OutboxStore;

class OutboxSenderTest {

    private final Outbox outbox = new Outbox(100, OutboxStore.NONE);
    private final RecordingOutbound outbound = new RecordingOutbound();
    private final OutboxSender sender = new OutboxSender(outbox, outbound, 2);

    private void queue(long... labels) {
        for (long label : labels) {
            outbox.add(label, "psa/v1/g/1/ct/m/" + label, new byte[] {(byte) label});
        }
    }

    private List<String> topics() {
        return outbound.sent.stream().map(RecordingOutbound.Sent::topic).toList();
    }

    @Test
    void nothingIsSentWhileDisconnectedThenOldestFirstWithinTheWindow() {
        queue(1, 2, 3);
        sender.pump();
        assertTrue(outbound.sent.isEmpty());

        sender.connected();
        assertEquals(List.of("psa/v1/g/1/ct/m/1", "psa/v1/g/1/ct/m/2"), topics(), "window of 2");
        outbound.sent.get(0).listener().delivered();
        assertEquals("psa/v1/g/1/ct/m/3", topics().get(2));
        assertEquals(2, outbox.size(), "only acknowledged entries leave the outbox");
    }

    @Test
    void unacknowledgedEntriesAreResentAfterReconnectAndStaleAcksDoNotConfuse() {
        queue(1, 2);
        sender.connected();
        RecordingOutbound.Sent first = outbound.sent.get(0);
        sender.disconnected();
        sender.connected();
        assertEquals(List.of("psa/v1/g/1/ct/m/1", "psa/v1/g/1/ct/m/2", "psa/v1/g/1/ct/m/1", "psa/v1/g/1/ct/m/2"), topics());

        first.listener().delivered(); // late PUBACK from the old connection
        assertEquals(1, outbox.size());
        assertEquals(4, outbound.sent.size(), "a stale ack frees no window slot of the new connection");
    }

    @Test
    void whatTheBrokerAcknowledgedJustBeforeTheConnectionDroppedIsSentOnceMore() {
        long[] now = {0};
        OutboxSender timed = new OutboxSender(outbox, outbound, 2, () -> now[0]);
        queue(1, 2);
        timed.connected();
        outbound.sent.get(0).listener().delivered(); // label 1 acknowledged at 0 s
        now[0] = Duration.ofSeconds(30).toNanos();
        outbound.sent.get(1).listener().delivered(); // label 2 at 30 s
        assertEquals(0, outbox.size());
        now[0] += Duration.ofMillis(500).toNanos();
        timed.disconnected(); // the broker died half a second later, maybe before it saved label 2
        now[0] += Duration.ofSeconds(5).toNanos();
        timed.connected();
        assertEquals(List.of("psa/v1/g/1/ct/m/1", "psa/v1/g/1/ct/m/2", "psa/v1/g/1/ct/m/2"), topics(),
                "label 2 once more; label 1 was acknowledged long before the connection dropped");
        timed.disconnected();
        timed.connected();
        assertEquals(3, outbound.sent.size(), "once more only, not after every reconnect");
    }

    @Test
    void synchronousAcknowledgementsDrainEverythingWithoutRecursion() {
        for (long label = 0; label < 50; label++) {
            queue(label);
        }
        outbound.autoAck = true;
        sender.connected();
        assertEquals(50, outbound.sent.size());
        assertEquals(0, outbox.size());
    }

    @Test
    void immediateFailureStopsUntilTheNextTriggerInsteadOfSpinning() {
        queue(1, 2);
        outbound.failImmediately = true;
        sender.connected();
        assertEquals(1, outbound.sent.size());
        outbound.failImmediately = false;
        outbound.autoAck = true;
        queue(3);
        sender.pump();
        assertEquals(0, outbox.size());
        assertEquals(List.of("psa/v1/g/1/ct/m/1", "psa/v1/g/1/ct/m/1", "psa/v1/g/1/ct/m/2", "psa/v1/g/1/ct/m/3"), topics());
    }
}
