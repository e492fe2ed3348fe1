package org.psametering.meter.agent;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.outbox.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link Outbox} through the {@link Outbound}, oldest first, with a few messages in flight at a time.
 *
 * <p>An entry leaves the outbox only when the broker acknowledged it. After a lost connection everything not yet
 * acknowledged is sent again (the head-end ignores duplicates of the same meter, epoch and label), and so is what the
 * broker acknowledged shortly before the connection dropped ({@link RecentAcknowledgements}: a crashing broker may not
 * have saved it).
 */
final class OutboxSender {

    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);

    private final Outbox outbox;
    private final Outbound outbound;
    private final int window;
    private final Set<Long> inFlight = new HashSet<>();
    private final RecentAcknowledgements recent;
    private boolean connected;
    private boolean pumping;
    private boolean pumpAgain;
    private boolean stalled; // a publish failed at once: stop until the next trigger instead of spinning on it
    private long generation; // acks from before a reconnect must not free a slot of the new connection

    OutboxSender(Outbox outbox, Outbound outbound, int window) {
        this(outbox, outbound, window, System::nanoTime);
    }

    /** With the monotonic clock that times acknowledgements against a lost connection (real time: the broker's). */
    OutboxSender(Outbox outbox, Outbound outbound, int window, LongSupplier nanoTime) {
        this.recent = new RecentAcknowledgements(nanoTime);
        if (window < 1) {
            throw new IllegalArgumentException("in-flight window must be at least 1, was " + window);
        }
        this.outbox = outbox;
        this.outbound = outbound;
        this.window = window;
    }

    synchronized void connected() {
        connected = true;
        generation++;
        inFlight.clear();
        List<OutboxEntry> again = recent.takeForResend();
        if (!again.isEmpty()) {
            log.info("re-sending {} messages the broker acknowledged just before the connection dropped (it may not have"
                    + " saved them)", again.size());
            again.forEach(e -> outbound.publish(e.topic(), e.payload(), false, Outbound.IGNORE));
        }
        pump();
    }

    synchronized void disconnected() {
        recent.connectionLost();
        connected = false;
        generation++;
        inFlight.clear();
    }

    /** Sends what fits in the window; called after an add, an acknowledgement and a (re)connect. */
    synchronized void pump() {
        if (pumping) { // a listener called back synchronously from inside publish()
            pumpAgain = true;
            return;
        }
        pumping = true;
        stalled = false;
        try {
            do {
                pumpAgain = false;
                while (connected && !stalled && inFlight.size() < window) {
                    Optional<OutboxEntry> next = outbox.oldestExcept(inFlight);
                    if (next.isEmpty()) {
                        break;
                    }
                    OutboxEntry entry = next.get();
                    inFlight.add(entry.sequence());
                    outbound.publish(entry.topic(), entry.payload(), false, new EntryListener(entry, generation));
                }
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
    }

    private final class EntryListener implements Outbound.DeliveryListener {
        private final OutboxEntry entry;
        private final long sentIn;

        EntryListener(OutboxEntry entry, long sentIn) {
            this.entry = entry;
            this.sentIn = sentIn;
        }

        @Override
        public void delivered() {
            outbox.acknowledge(entry.sequence());
            recent.acknowledged(entry);
            synchronized (OutboxSender.this) {
                if (sentIn == generation) {
                    inFlight.remove(entry.sequence());
                    pump();
                }
            }
        }

        @Override
        public void failed(Throwable cause) {
            synchronized (OutboxSender.this) {
                if (sentIn == generation) {
                    // stays queued; retried on the next add, acknowledgement or reconnect
                    inFlight.remove(entry.sequence());
                    stalled = true;
                    log.debug("publishing label {} failed, kept for retry: {}", entry.label(), cause.toString());
                }
            }
        }
    }
}
