package org.psametering.crypto.psa;

import java.util.Objects;
import org.psametering.crypto.internal.RandomOracle;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.internal.ZqVector;

/**
 * A meter's encryptor: c = F(k, t) + Delta * x mod p, with the encoding scale Delta = N (scheme v1) or 2N (scheme v2,
 * recoverable). Keeps the last label it used so that no label is ever encrypted
 * twice; the meter persists {@link #lastUsedLabel()} and passes it back after a restart.
 *
 * <p>Thread-safe (encryption is serialised, which also keeps the label check atomic).
 */
public final class PsaEncryptor {

    private final GroupContext group;
    private final ZqVector key;
    private final RandomOracle oracle;
    private final long maxReading;
    private final long scale;
    private final long highMask;
    private final long[] prf = new long[2];
    private long lastUsedLabel;

    /**
     * @param lastUsedLabel the last label this key encrypted, or Long.MIN_VALUE if none
     */
    public PsaEncryptor(PsaKey key, GroupContext group, long lastUsedLabel) {
        Objects.requireNonNull(key, "key");
        this.group = Objects.requireNonNull(group, "group");
        if (!key.params().equals(group.params())) {
            throw new IllegalArgumentException("key is for parameter set " + key.params().name() + " but group "
                    + group.groupId() + " uses " + group.params().name());
        }
        this.key = SecretAccess.psaKeys().vector(key);
        this.oracle = new RandomOracle(VectorExpander.standard(), group.params().n());
        this.maxReading = group.maxReading();
        this.scale = group.params().encodingScale(group.groupSize());
        this.highMask = (1L << (group.params().logP() - 64)) - 1;
        this.lastUsedLabel = lastUsedLabel;
    }

    /**
     * Encrypts reading for time-step label.
     *
     * @throws LabelReuseException      if label is not newer than the last used label
     * @throws IllegalArgumentException if reading is negative or above the group's maximum reading
     */
    public synchronized Ciphertext encrypt(long label, long reading) {
        if (reading < 0 || reading > maxReading) {
            throw new IllegalArgumentException("reading " + reading + " outside [0, " + maxReading + "] for group "
                    + group.groupId() + " of size " + group.groupSize() + " (sum would overflow p)");
        }
        if (label <= lastUsedLabel) {
            throw new LabelReuseException(label, lastUsedLabel);
        }
        lastUsedLabel = label; // burn the label before anything can fail half-way
        PsaParameters params = group.params();
        oracle.prf(params.id(), params.name(), group.groupId(), group.epoch(), label, key, params.logP(), prf);
        // Delta * x as a 128-bit number: below 2^95 (x < 2^63, Delta < 2^32); both factors are non-negative, so the
        // signed high product is the unsigned one
        long encodedLow = reading * scale;
        long encodedHigh = Math.multiplyHigh(reading, scale);
        long low = prf[1] + encodedLow;
        long carry = Long.compareUnsigned(low, encodedLow) < 0 ? 1L : 0L;
        long high = (prf[0] + encodedHigh + carry) & highMask;
        return new Ciphertext(label, high, low);
    }

    public synchronized long lastUsedLabel() {
        return lastUsedLabel;
    }

    public GroupContext group() {
        return group;
    }

    @Override
    public String toString() {
        return "PsaEncryptor[group=" + group.groupId() + ", epoch=" + group.epoch() + "]";
    }
}
