package org.psametering.crypto.psa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;

/** Exact decryption for every group size and the extreme readings the parameter set allows. */
class PsaRoundTripTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void smallGroupsThroughTheRealKeySetupDecryptExactly(int size) {
        for (PsaParameters params : PsaParameters.all()) {
            GroupContext group = new GroupContext("g-small", 3, size, params);
            TestGroups.Setup setup = TestGroups.withKeySetup(group, "round-trip-" + size + params.name());
            List<PsaKey> keys = setup.meters().stream().map(TestGroups.Meter::key).toList();
            assertAllReadingPatternsDecrypt(group, keys, setup.aggregationKey(), 1000);
        }
    }

    @Test
    void hundredMetersDecryptExactly() {
        GroupContext group = new GroupContext("g-100", 1, 100, PsaParameters.DEFAULT);
        DeterministicRandom random = new DeterministicRandom("hundred");
        List<PsaKey> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(PsaKey.generate(group.params(), random));
        }
        assertAllReadingPatternsDecrypt(group, keys, TestGroups.sumOfKeys(group, keys), 50_000);
    }

    @Test
    void tenThousandMetersDecryptExactly() {
        // one encryptor at a time, keys summed on the fly: memory stays at one key, not 10 000. The rounding error
        // bound does not depend on n, so a small test-only set covers the arithmetic cheaply; the default set once
        // more at full size.
        int size = 10_000;
        PsaParameters small = new PsaParameters("test-n64", 0xFFFF, 64, 128, 85, 0);
        for (PsaParameters params : List.of(small, PsaParameters.DEFAULT)) {
            GroupContext group = new GroupContext("g-10k", 2, size, params);
            long xMax = group.maxReading();
            DeterministicRandom random = new DeterministicRandom("ten-thousand" + params.name());
            SplittableRandom readings = new SplittableRandom(10_000);
            long label = 7;
            List<Ciphertext> cts = new ArrayList<>(size);
            ZqVector sum = ZqVector.zero(params.n());
            long expected = 0;
            for (int i = 0; i < size; i++) {
                PsaKey key = PsaKey.generate(params, random);
                sum.add(SecretAccess.psaKeys().vector(key));
                // mix of the extremes and random values, so both overflow edges are exercised
                long x = switch (i % 4) {
                    case 0 -> xMax;
                    case 1 -> 0;
                    case 2 -> 1;
                    default -> readings.nextLong(xMax + 1);
                };
                expected += x;
                cts.add(new PsaEncryptor(key, group, Long.MIN_VALUE).encrypt(label, x));
            }
            AggregationKey k = SecretAccess.aggregationKeys().create(params, sum);
            assertEquals(expected, new PsaAggregator(k, group).aggregate(label, cts), params.name());
        }
    }

    @Test
    void maxReadingIsTheSmallerOfTheRoomAndTheLongSum() {
        PsaParameters p = PsaParameters.DEFAULT;
        // below N = 2^22 the sum must fit a long: N * x <= 2^63 - 1
        assertEquals(Long.MAX_VALUE, p.maxReading(1));
        assertEquals(Long.MAX_VALUE / 2, p.maxReading(2));
        assertEquals(Long.MAX_VALUE / 10_000, p.maxReading(10_000));
        // above it the plaintext room binds: N * (N * x + 1) < 2^85 and not for x + 1
        int n = 1 << 23;
        long x = p.maxReading(n);
        assertTrue(roomNeeded(n, x).compareTo(BigInteger.ONE.shiftLeft(85)) < 0);
        assertTrue(roomNeeded(n, x + 1).compareTo(BigInteger.ONE.shiftLeft(85)) >= 0);
    }

    private static BigInteger roomNeeded(long n, long x) {
        BigInteger bigN = BigInteger.valueOf(n);
        return bigN.multiply(bigN.multiply(BigInteger.valueOf(x)).add(BigInteger.ONE));
    }

    private static void assertAllReadingPatternsDecrypt(GroupContext group, List<PsaKey> keys, AggregationKey k,
                                                        long firstLabel) {
        long xMax = group.maxReading();
        SplittableRandom random = new SplittableRandom(group.groupSize());
        List<PsaEncryptor> encryptors = keys.stream().map(key -> new PsaEncryptor(key, group, Long.MIN_VALUE)).toList();
        PsaAggregator aggregator = new PsaAggregator(k, group);
        long label = firstLabel;
        for (String pattern : List.of("zero", "one", "max", "random", "max-but-one-zero")) {
            List<Ciphertext> cts = new ArrayList<>();
            long expected = 0;
            for (int i = 0; i < encryptors.size(); i++) {
                long x = switch (pattern) {
                    case "zero" -> 0;
                    case "one" -> 1;
                    case "max" -> xMax;
                    case "random" -> xMax == Long.MAX_VALUE ? random.nextLong() >>> 1 : random.nextLong(xMax + 1);
                    default -> i == 0 ? 0 : xMax;
                };
                expected += x;
                cts.add(encryptors.get(i).encrypt(label, x));
            }
            assertEquals(expected, aggregator.aggregate(label, cts),
                    pattern + " readings, N=" + group.groupSize() + ", " + group.params().name());
            label++;
        }
    }
}
