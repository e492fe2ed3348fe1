package org.psametering.crypto.recovery;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.psametering.crypto.internal.RandomOracle;
import org.psametering.crypto.internal.ScaledDecoding;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;

/**
 * The head-end's side of recovery (README section 11): with K' = K - sum over missing j of b_j (b_j their blinded keys
 * of the epoch), the sum over the reporting set S is
 * <pre>  X_S = floor( (sum_S c_i - sum_S F(rho_i, t) - F(K', t) + N - 1  mod p) / 2N )</pre>
 * exactly, because sum_S k_i = K' + sum_S rho_i and the rounding error lies in [-(|S|-1), |S|].
 *
 * <p>Thread-safe (serialised; reuses the oracle's buffers).
 */
public final class RecoveryAggregator {

    private static final long LOW32 = 0xFFFF_FFFFL;

    /** Hash lookups instead of the key set's tree: a recovery checks every reporting meter's id. */
    private final Set<MeterId> members;
    private final GroupContext group;
    private final ZqVector key;
    private final RandomOracle oracle;
    private final long highMask;
    private final long maxReading;
    private final long scale;
    private final long[] prf = new long[2];

    public RecoveryAggregator(AggregationKey key, KeySet keySet) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keySet, "keySet");
        this.group = keySet.group();
        this.members = new HashSet<>(keySet.members().keySet());
        PsaParameters params = group.params();
        if (!key.params().equals(params)) {
            throw new IllegalArgumentException("aggregation key is for parameter set " + key.params().name()
                    + " but group " + group.groupId() + " uses " + params.name());
        }
        if (!params.scheme().supportsRecovery()) {
            throw new IllegalArgumentException("parameter set " + params.name() + " (scheme " + params.scheme()
                    + ") does not support recovery");
        }
        this.key = SecretAccess.aggregationKeys().vector(key);
        this.oracle = new RandomOracle(VectorExpander.standard(), params.n());
        this.highMask = (1L << (params.logP() - 64)) - 1;
        this.maxReading = group.maxReading();
        this.scale = params.encodingScale(group.groupSize());
    }

    /**
     * The exact sum of the reporting meters' readings for request's label.
     *
     * @param missingKeys the blinded keys of exactly the request's missing meters (kept from the epoch's key setup)
     * @param ciphertexts exactly one ciphertext per reporting meter (every member not missing), for the label
     * @param answers     exactly one answer per reporting meter, for this request
     * @throws IllegalArgumentException if any of these sets, labels, digests or groups does not match, or a value is
     *                                  outside Z_p
     * @throws IllegalStateException    if the decoded sum is impossible (an answer, key or ciphertext does not belong)
     */
    public synchronized long recover(RecoveryRequest request, Map<MeterId, BlindedKey> missingKeys,
                                     Map<MeterId, Ciphertext> ciphertexts, Map<MeterId, RecoveryAnswer> answers) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(missingKeys, "missingKeys");
        Objects.requireNonNull(ciphertexts, "ciphertexts");
        Objects.requireNonNull(answers, "answers");
        if (!request.group().equals(group)) {
            throw new IllegalArgumentException("request is for group " + request.group().groupId() + " epoch "
                    + request.group().epoch() + ", recovering " + group.groupId() + " epoch " + group.epoch());
        }
        long label = request.label();
        requireExactlyTheMissing(request, missingKeys);
        int reporting = request.reportingCount();
        if (ciphertexts.size() != reporting || answers.size() != reporting) {
            throw new IllegalArgumentException("recovering label " + label + " needs exactly " + reporting
                    + " ciphertexts and answers (every member not missing), got " + ciphertexts.size() + " and "
                    + answers.size());
        }
        byte[] digest = request.digest();
        Set<MeterId> missing = new HashSet<>(request.missing());
        long notInZp = ~highMask;
        // two 128-bit sums (ciphertexts, answers), low words as 32-bit halves so that no carry is lost
        long ctHigh = 0;
        long ctLowLow = 0;
        long ctLowHigh = 0;
        long anHigh = 0;
        long anLowLow = 0;
        long anLowHigh = 0;
        for (Map.Entry<MeterId, Ciphertext> e : ciphertexts.entrySet()) {
            MeterId id = e.getKey();
            Ciphertext c = e.getValue();
            // sizes are equal and every key here is a non-missing member with an answer: so both key sets are S
            if (id == null || !members.contains(id) || missing.contains(id)) {
                throw new IllegalArgumentException("ciphertext from " + id + ", who is not a reporting member");
            }
            RecoveryAnswer a = answers.get(id);
            if (c == null || c.label() != label || (c.high() & notInZp) != 0) {
                throw new IllegalArgumentException("ciphertext of " + id + " is missing, for another label than "
                        + label + ", or not in Z_p");
            }
            if (a == null) {
                throw new IllegalArgumentException("no recovery answer from reporting meter " + id);
            }
            if (!a.answers(label, digest) || !a.fitsIn(group.params())) {
                throw new IllegalArgumentException("recovery answer of " + id + " is for another label or request, "
                        + "or not in Z_p");
            }
            ctHigh += c.high();
            ctLowLow += c.low() & LOW32;
            ctLowHigh += c.low() >>> 32;
            anHigh += a.high();
            anLowLow += a.low() & LOW32;
            anLowHigh += a.low() >>> 32;
        }
        long ctMid = (ctLowHigh & LOW32) + (ctLowLow >>> 32);
        long ctLow = (ctMid << 32) | (ctLowLow & LOW32);
        ctHigh += (ctLowHigh >>> 32) + (ctMid >>> 32);
        long anMid = (anLowHigh & LOW32) + (anLowLow >>> 32);
        long anLow = (anMid << 32) | (anLowLow & LOW32);
        anHigh += (anLowHigh >>> 32) + (anMid >>> 32);

        PsaParameters params = group.params();
        ZqVector reduced = reducedKey(missingKeys); // secret: built only after every check, wiped at once
        try {
            oracle.prf(params.id(), params.name(), group.groupId(), group.epoch(), label, reduced, params.logP(), prf);
        } finally {
            reduced.wipe();
        }
        // value = sum c - sum answers - F(K', t) + (N - 1) mod p, in 128-bit words, reduced mod p at the end
        long low = ctLow - anLow;
        long high = ctHigh - anHigh - (Long.compareUnsigned(ctLow, anLow) < 0 ? 1L : 0L);
        long borrow = Long.compareUnsigned(low, prf[1]) < 0 ? 1L : 0L;
        low -= prf[1];
        high = high - prf[0] - borrow;
        long offset = group.groupSize() - 1L;
        low += offset;
        high += Long.compareUnsigned(low, offset) < 0 ? 1L : 0L;
        high &= highMask;
        long sum = ScaledDecoding.quotient(high, low, scale);
        if (sum < 0 || sum > maxReading * reporting) {
            throw new IllegalStateException("recovered aggregate for group " + group.groupId() + " label " + label
                    + " decodes outside [0, " + maxReading * reporting + "]: an answer, ciphertext or blinded key "
                    + "does not belong to this request");
        }
        return sum;
    }

    private void requireExactlyTheMissing(RecoveryRequest request, Map<MeterId, BlindedKey> missingKeys) {
        if (!missingKeys.keySet().equals(request.missing())) {
            Set<MeterId> extra = new HashSet<>(missingKeys.keySet());
            extra.removeAll(request.missing());
            Set<MeterId> absent = new HashSet<>(request.missing());
            absent.removeAll(missingKeys.keySet());
            throw new IllegalArgumentException("blinded keys must be given for exactly the missing meters; absent: "
                    + absent.stream().sorted().limit(5).toList() + ", not missing: "
                    + extra.stream().sorted().limit(5).toList());
        }
        for (Map.Entry<MeterId, BlindedKey> e : missingKeys.entrySet()) {
            BlindedKey b = Objects.requireNonNull(e.getValue(), "blinded key of " + e.getKey());
            if (!b.group().equals(group) || !b.meterId().equals(e.getKey())) {
                throw new IllegalArgumentException("blinded key given for " + e.getKey() + " belongs to "
                        + b.meterId() + " of " + b.group().groupId() + " epoch " + b.group().epoch());
            }
        }
    }

    /** K' = K - sum over the missing meters of their blinded keys (a fresh vector: the caller wipes it). */
    private ZqVector reducedKey(Map<MeterId, BlindedKey> missingKeys) {
        ZqVector reduced = key.copy();
        for (BlindedKey b : missingKeys.values()) {
            reduced.subtract(SecretAccess.blindedKeys().vector(b));
        }
        return reduced;
    }

    public GroupContext group() {
        return group;
    }

    @Override
    public String toString() {
        return "RecoveryAggregator[group=" + group.groupId() + ", epoch=" + group.epoch() + "]";
    }
}
