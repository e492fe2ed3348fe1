package org.psametering.crypto.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.internal.RandomOracle;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.psa.PsaScheme;

/**
 * Forces the worst-case rounding error of a recovered step (README section 11.2) and checks that decoding is still
 * exact at both edges of the plaintext room. Keys and residual masks are chosen so that every inner product with H(t)
 * has the chosen low s = 128 - logP bits ("fractional part"): all meters' parts 0 and all answers' parts 2^s - 1 give
 * the largest error E = |S|, the reverse gives the smallest E = -(|S| - 1). The test computes E independently in
 * BigInteger and asserts it was really forced, then runs the production aggregator.
 */
class RecoveryExactnessTest {

    private static final BigInteger Q = BigInteger.ONE.shiftLeft(128);
    /** logP = 65: the plaintext room binds (not the long bound) from N of a few hundred on, so x_max is the room's. */
    private static final PsaParameters P65 = new PsaParameters("test-n64-p65-rec", 0xFFF1, 64, 128, 65, 0,
            PsaScheme.V2_RECOVERABLE);

    enum Extreme { LARGEST, SMALLEST }

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(RecoveryRoundTripTest.SMALL, 2, 1),
                Arguments.of(RecoveryRoundTripTest.SMALL, 40, 7),
                Arguments.of(RecoveryRoundTripTest.SMALL, 1000, 10),
                Arguments.of(P65, 3, 1),
                Arguments.of(P65, 1000, 10),
                Arguments.of(P65, 1000, 998),
                Arguments.of(PsaParameters.RECOVERABLE, 20, 3));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void largestAndSmallestRoundingErrorsDecodeExactlyAtBothEdgesOfTheRoom(PsaParameters params, int size,
                                                                          int missingCount) {
        for (Extreme extreme : Extreme.values()) {
            for (boolean atMax : new boolean[] {true, false}) {
                Forced f = new Forced(params, size, missingCount, extreme, atMax);
                int reporting = size - missingCount;
                long expectedError = extreme == Extreme.LARGEST ? reporting : 1 - reporting;
                assertEquals(expectedError, f.error(), "forced error, " + extreme);
                assertEquals(f.expectedSum, f.recover(), params.name() + " N=" + size + " missing=" + missingCount
                        + " " + extreme + (atMax ? " all x_max" : " all 0"));
            }
        }
    }

    /** A synthetic group whose keys, residual masks and blinded keys are chosen, not derived by X25519. */
    private static final class Forced {
        final GroupContext group;
        final PsaParameters params;
        final long label = 77;
        final int s;
        final BigInteger[] h;
        final int invertible;
        final SortedSet<MeterId> missing = new TreeSet<>();
        final Map<MeterId, Ciphertext> ciphertexts = new HashMap<>();
        final Map<MeterId, BlindedKey> blinded = new HashMap<>();
        final Map<MeterId, BigInteger[]> residuals = new HashMap<>();
        final BigInteger[] reducedKey;
        final KeySet keySet;
        final AggregationKey aggregationKey;
        long expectedSum;
        /** sum of the meters' fractional parts, sum of the answers' fractional parts. */
        BigInteger fMeters = BigInteger.ZERO;
        BigInteger fAnswers = BigInteger.ZERO;

        Forced(PsaParameters params, int size, int missingCount, Extreme extreme, boolean atMax) {
            this.params = params;
            this.group = new GroupContext("g-forced", 1, size, params);
            this.s = 128 - params.logP();
            BigInteger fractionMax = BigInteger.ONE.shiftLeft(s).subtract(BigInteger.ONE);
            byte[] expanded = new RandomOracle(VectorExpander.standard(), params.n())
                    .expand(params.id(), params.name(), group.groupId(), group.epoch(), label);
            h = elements(expanded, params.n());
            int odd = 0;
            while (!h[odd].testBit(0)) {
                odd++; // an odd element is a unit mod 2^128: one coordinate then sets the inner product freely
            }
            invertible = odd;
            DeterministicRandom random = new DeterministicRandom("forced-" + params.name() + size + extreme + atMax);
            TreeMap<MeterId, AgreementPublicKey> publicKeys = new TreeMap<>();
            BigInteger[] total = zero(params.n());
            BigInteger[] residualSum = zero(params.n());
            long xMax = group.maxReading();
            for (int i = 0; i < size; i++) {
                MeterId id = TestGroups.meterId(i);
                byte[] pk = new byte[32];
                pk[0] = (byte) i;
                pk[1] = (byte) (i >>> 8);
                publicKeys.put(id, new AgreementPublicKey(pk)); // never used: no agreement in this test
                boolean isMissing = i >= size - missingCount;
                BigInteger[] k = randomVector(random);
                if (isMissing) {
                    missing.add(id);
                } else {
                    BigInteger keyFraction = extreme == Extreme.LARGEST ? BigInteger.ZERO : fractionMax;
                    BigInteger answerFraction = extreme == Extreme.LARGEST ? fractionMax : BigInteger.ZERO;
                    force(k, keyFraction);
                    fMeters = fMeters.add(keyFraction);
                    BigInteger[] rho = randomVector(random);
                    force(rho, answerFraction);
                    fAnswers = fAnswers.add(answerFraction);
                    residuals.put(id, rho);
                    add(residualSum, rho, 1);
                    long x = atMax ? xMax : 0;
                    expectedSum += x;
                    ciphertexts.put(id, new PsaEncryptor(psaKey(k), group, Long.MIN_VALUE).encrypt(label, x));
                }
                add(total, k, 1);
                // blinded keys of the missing meters: b_j = k_j, plus (for the first) the residuals' sum, so that
                // K - sum b_j = sum_S k_i - sum_S rho_i as the key setup would make it
                if (isMissing) {
                    blinded.put(id, null);
                    blindedVectors.put(id, k);
                }
            }
            MeterId first = missing.first();
            add(blindedVectors.get(first), residualSum, 1);
            for (MeterId id : missing) {
                blinded.put(id, SecretAccess.blindedKeys().create(id, group, vector(blindedVectors.get(id))));
            }
            reducedKey = total.clone();
            for (MeterId id : missing) {
                add(reducedKey, blindedVectors.get(id), -1);
            }
            keySet = new KeySet(group, publicKeys);
            aggregationKey = SecretAccess.aggregationKeys().create(params, vector(total));
        }

        private final Map<MeterId, BigInteger[]> blindedVectors = new HashMap<>();

        /** E = (f' + sum of the answers' parts - sum of the meters' parts) / 2^s, f' the part of K' (section 11.2). */
        long error() {
            BigInteger fReduced = dot(reducedKey).mod(BigInteger.ONE.shiftLeft(s));
            BigInteger numerator = fReduced.add(fAnswers).subtract(fMeters);
            BigInteger[] qr = numerator.divideAndRemainder(BigInteger.ONE.shiftLeft(s));
            assertEquals(BigInteger.ZERO, qr[1], "E must be an integer");
            return qr[0].longValueExact();
        }

        long recover() {
            RecoveryRequest request = new RecoveryRequest(group, label, missing);
            Map<MeterId, RecoveryAnswer> answers = new HashMap<>();
            residuals.forEach((id, rho) -> {
                // F(rho, t) is the PRF under key rho: an encryption of 0 (what RecoveryResponder computes)
                Ciphertext f = new PsaEncryptor(psaKey(rho), group, Long.MIN_VALUE).encrypt(label, 0);
                answers.put(id, new RecoveryAnswer(label, request.digest(), f.high(), f.low()));
            });
            return new RecoveryAggregator(aggregationKey, keySet).recover(request, blinded, ciphertexts, answers);
        }

        /** Changes one coordinate so that (<H, v> mod q) mod 2^s == fraction. */
        private void force(BigInteger[] v, BigInteger fraction) {
            BigInteger a = dot(v);
            BigInteger unit = BigInteger.ONE.shiftLeft(s);
            BigInteger target = a.subtract(a.mod(unit)).add(fraction);
            BigInteger delta = target.subtract(a).multiply(h[invertible].modInverse(Q)).mod(Q);
            v[invertible] = v[invertible].add(delta).mod(Q);
            assertEquals(fraction, dot(v).mod(unit));
        }

        private BigInteger dot(BigInteger[] v) {
            BigInteger sum = BigInteger.ZERO;
            for (int j = 0; j < v.length; j++) {
                sum = sum.add(h[j].multiply(v[j]));
            }
            return sum.mod(Q);
        }

        private BigInteger[] randomVector(DeterministicRandom random) {
            byte[] bytes = new byte[params.vectorBytes()];
            random.nextBytes(bytes);
            return elements(bytes, params.n());
        }

        private PsaKey psaKey(BigInteger[] v) {
            return SecretAccess.psaKeys().create(params, vector(v));
        }

        private ZqVector vector(BigInteger[] v) {
            byte[] bytes = new byte[16 * v.length];
            for (int j = 0; j < v.length; j++) {
                byte[] raw = v[j].toByteArray();
                int copy = Math.min(16, raw.length);
                System.arraycopy(raw, raw.length - copy, bytes, 16 * j + 16 - copy, copy);
            }
            return ZqVector.fromBytes(bytes, 0, v.length);
        }
    }

    private static BigInteger[] elements(byte[] bytes, int n) {
        BigInteger[] out = new BigInteger[n];
        for (int j = 0; j < n; j++) {
            out[j] = new BigInteger(1, java.util.Arrays.copyOfRange(bytes, 16 * j, 16 * j + 16));
        }
        return out;
    }

    private static BigInteger[] zero(int n) {
        BigInteger[] out = new BigInteger[n];
        java.util.Arrays.fill(out, BigInteger.ZERO);
        return out;
    }

    private static void add(BigInteger[] acc, BigInteger[] v, int sign) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] = (sign > 0 ? acc[j].add(v[j]) : acc[j].subtract(v[j])).mod(Q);
        }
    }

    @org.junit.jupiter.api.Test
    void theRoomBoundOfSchemeV2IsTight() {
        // 2N (N x + 1) <= p for x = maxReading(N), and not for x + 1, where the room binds
        for (int n : new int[] {3, 1000, 1 << 22, Integer.MAX_VALUE}) {
            for (PsaParameters params : List.of(P65, PsaParameters.RECOVERABLE)) {
                long x;
                try {
                    x = params.maxReading(n);
                } catch (IllegalArgumentException tooLarge) {
                    continue;
                }
                BigInteger p = BigInteger.ONE.shiftLeft(params.logP());
                BigInteger bigN = BigInteger.valueOf(n);
                assertTrue(room(bigN, x).compareTo(p) <= 0, params.name() + " N=" + n);
                if (x < Long.MAX_VALUE / n) {
                    assertTrue(room(bigN, x + 1).compareTo(p) > 0, "room binds: x + 1 must not fit, N=" + n);
                }
            }
        }
        assertEquals(Long.MAX_VALUE / 10_000, PsaParameters.RECOVERABLE.maxReading(10_000));
        assertEquals(PsaParameters.DEFAULT.maxReading(1 << 21), PsaParameters.RECOVERABLE.maxReading(1 << 21));
        assertTrue(PsaParameters.RECOVERABLE.maxReading((1 << 21) + 1) < PsaParameters.DEFAULT.maxReading((1 << 21) + 1));
    }

    private static BigInteger room(BigInteger n, long x) {
        return BigInteger.TWO.multiply(n).multiply(n.multiply(BigInteger.valueOf(x)).add(BigInteger.ONE));
    }
}
