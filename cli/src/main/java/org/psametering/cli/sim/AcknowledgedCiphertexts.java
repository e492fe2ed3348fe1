package org.psametering.cli.sim;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.psametering.meter.MeterListener;

/**
 * Every ciphertext the broker acknowledged to a simulated meter (which then dropped it from its outbox). From that moment
 * the meter will never send it again, so the system owes a result for it: the soak checks each one against what the
 * head-end stored and published.
 */
public final class AcknowledgedCiphertexts implements MeterListener {
    /** One acknowledged ciphertext: which meter sent it, under which epoch key, for which label. */
    public record Acked(String meterId, long epoch, long label) {
    }

    private final Map<Acked, Long> firstAck = new ConcurrentHashMap<>();

    @Override
    public void onCiphertextAcknowledged(String meterId, long epoch, long label) {
        // a crashed meter re-sends what it had not yet recorded as acknowledged; the first acknowledgement is what counts
        firstAck.putIfAbsent(new Acked(meterId, epoch, label), System.nanoTime());
    }

    /** Every acknowledged ciphertext so far. */
    public Set<Acked> all() {
        return Set.copyOf(firstAck.keySet());
    }

    /** {@link System#nanoTime()} when {@code acked} was first acknowledged. */
    public long firstAckNanos(Acked acked) {
        Long at = firstAck.get(acked);
        if (at == null) {
            throw new IllegalArgumentException("never acknowledged: " + acked);
        }
        return at;
    }

    public int count() {
        return firstAck.size();
    }
}
