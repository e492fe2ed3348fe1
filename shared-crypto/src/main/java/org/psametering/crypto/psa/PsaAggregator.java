package org.psametering.crypto.psa;

import java.util.List;
import java.util.Objects;
import org.psametering.crypto.internal.RandomOracle;
import org.psametering.crypto.internal.ScaledDecoding;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.internal.ZqVector;

/**
 * The head-end's decryptor: sum of one label's ciphertexts minus F(K, t), decoded. The sum of the meters' rounded PRF
 * values differs from F(K, t) by e in [-(N-1), 0]; adding N-1 and dividing by the encoding scale (N, or 2N for the
 * recoverable scheme) removes it exactly.
 *
 * <p>Thread-safe (aggregation is serialised; it reuses the oracle's buffers).
 */
public final class PsaAggregator {

    private static final long LOW32 = 0xFFFF_FFFFL;

    private final GroupContext group;
    private final ZqVector key;
    private final RandomOracle oracle;
    private final long highMask;
    private final long maxSum;
    private final long scale;
    private final long[] prf = new long[2];

    public PsaAggregator(AggregationKey key, GroupContext group) {
        Objects.requireNonNull(key, "key");
        this.group = Objects.requireNonNull(group, "group");
        if (!key.params().equals(group.params())) {
            throw new IllegalArgumentException("aggregation key is for parameter set " + key.params().name()
                    + " but group " + group.groupId() + " uses " + group.params().name());
        }
        this.key = SecretAccess.aggregationKeys().vector(key);
        this.oracle = new RandomOracle(VectorExpander.standard(), group.params().n());
        this.highMask = (1L << (group.params().logP() - 64)) - 1;
        this.maxSum = group.maxReading() * group.groupSize();
        this.scale = group.params().encodingScale(group.groupSize());
    }

    /**
     * The exact sum of the readings behind cts, which must be exactly one ciphertext per member for label.
     *
     * @throws IllegalArgumentException if the count differs from the group size, a ciphertext has another label or a
     *                                  value outside Z_p
     * @throws IllegalStateException    if the decoded sum is impossible (inconsistent keys or ciphertexts)
     */
    public synchronized long aggregate(long label, List<Ciphertext> cts) {
        Objects.requireNonNull(cts, "cts");
        int size = group.groupSize();
        if (cts.size() != size) {
            throw new IllegalArgumentException("group " + group.groupId() + " needs exactly " + size
                    + " ciphertexts for label " + label + ", got " + cts.size());
        }
        PsaParameters params = group.params();
        long high = 0;
        long lowLowHalves = 0;
        long lowHighHalves = 0;
        long notInZp = ~highMask;
        int i = 0;
        for (Ciphertext c : cts) { // iterator, not get(i): any List, including linked ones, stays linear
            // one branch for both checks on the hot path; the slow path says which one failed
            if (c == null || ((c.label() ^ label) | (c.high() & notInZp)) != 0) {
                throw rejected(i, c, label);
            }
            high += c.high();
            lowLowHalves += c.low() & LOW32;
            lowHighHalves += c.low() >>> 32;
            i++;
        }
        long mid = (lowHighHalves & LOW32) + (lowLowHalves >>> 32);
        long low = (mid << 32) | (lowLowHalves & LOW32);
        high += (lowHighHalves >>> 32) + (mid >>> 32);

        oracle.prf(params.id(), params.name(), group.groupId(), group.epoch(), label, key, params.logP(), prf);
        // value = sum - F(K, t) + (N - 1) mod p
        long borrow = Long.compareUnsigned(low, prf[1]) < 0 ? 1L : 0L;
        low -= prf[1];
        high = high - prf[0] - borrow;
        long offset = size - 1L;
        low += offset;
        high += Long.compareUnsigned(low, offset) < 0 ? 1L : 0L;
        high &= highMask;
        return decode(high, low);
    }

    private IllegalArgumentException rejected(int index, Ciphertext c, long label) {
        if (c == null) {
            return new IllegalArgumentException("ciphertext " + index + " is null");
        }
        if (c.label() != label) {
            return new IllegalArgumentException("ciphertext " + index + " has label " + c.label()
                    + ", aggregating label " + label);
        }
        return new IllegalArgumentException("ciphertext " + index + " is not an element of Z_p (p = 2^"
                + group.params().logP() + ")");
    }

    /** floor((high * 2^64 + low) / scale); the quotient must fit the sum's range. */
    private long decode(long high, long low) {
        long sum = ScaledDecoding.quotient(high, low, scale);
        if (sum < 0 || sum > maxSum) {
            throw inconsistent();
        }
        return sum;
    }

    private IllegalStateException inconsistent() {
        return new IllegalStateException("aggregate for group " + group.groupId() + " decodes outside [0, " + maxSum
                + "]: the aggregation key does not match these ciphertexts (wrong key, group, epoch, or a "
                + "substituted/duplicated ciphertext)");
    }

    public GroupContext group() {
        return group;
    }

    @Override
    public String toString() {
        return "PsaAggregator[group=" + group.groupId() + ", epoch=" + group.epoch() + "]";
    }
}
