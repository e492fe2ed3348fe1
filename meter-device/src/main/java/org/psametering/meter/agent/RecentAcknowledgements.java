package org.psametering.meter.agent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.psametering.meter.outbox.OutboxEntry;

/**
 * Outbox entries the broker acknowledged shortly before the connection dropped, to be sent once more after the reconnect.
 *
 * <p>Why: Mosquitto acknowledges a QoS 1 PUBLISH before its persistence has it on disk (the database is saved as a
 * snapshot after the change, not before the PUBACK), so a broker crash right after the acknowledgement loses a message
 * the meter has already dropped from its outbox (seen in the soak: acknowledged less than a second before a broker
 * SIGKILL, never delivered to the head-end). A copy the head-end already has is refused as a duplicate, harmlessly; a
 * ciphertext carries nothing new the second time. Kept in memory only: a meter crash within the same second as a
 * broker crash is out of reach.
 */
final class RecentAcknowledgements {
    /** How long before the connection dropped an acknowledgement is not trusted to have been saved by the broker. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Bound on the copies kept (a drain after an outage acknowledges many entries within the window). */
    static final int MAX_KEPT = 64;

    private record Acked(OutboxEntry entry, long atNanos) {
    }

    private final LongSupplier nanoTime;
    private final ArrayDeque<Acked> recent = new ArrayDeque<>();
    private long lostAtNanos;
    private boolean lost;

    RecentAcknowledgements(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The broker acknowledged {@code entry} (once per entry; a second acknowledgement of a copy is ignored). */
    synchronized void acknowledged(OutboxEntry entry) {
        long now = nanoTime.getAsLong();
        if (recent.stream().anyMatch(a -> a.entry().sequence() == entry.sequence())) {
            return;
        }
        recent.addLast(new Acked(entry, now));
        while (recent.size() > MAX_KEPT || (!lost && now - recent.peekFirst().atNanos() > WINDOW.toNanos())) {
            recent.removeFirst();
        }
    }

    /** The connection dropped now: what was acknowledged within {@link #WINDOW} before is sent again on reconnect. */
    synchronized void connectionLost() {
        if (!lost) {
            lost = true;
            lostAtNanos = nanoTime.getAsLong();
        }
    }

    /** On reconnect: the entries to send once more, oldest first; forgets them. */
    synchronized List<OutboxEntry> takeForResend() {
        List<OutboxEntry> out = new ArrayList<>();
        if (lost) {
            for (Acked a : recent) {
                if (lostAtNanos - a.atNanos() <= WINDOW.toNanos()) {
                    out.add(a.entry());
                }
            }
        }
        recent.clear();
        lost = false;
        return out;
    }
}
