package org.psametering.crypto.dmcfe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DmcfeSchemeTest {

    private static final int N = 4;
    private static final long MAX = 1_000;
    private static final DmcfeGroup GROUP = DmcfeGroup.onBls12381("street-7", N, MAX);
    private static List<DmcfeClientSecret> secrets;
    private static DmcfeFunctionalKey key;
    private static DiscreteLogTable table;

    @BeforeAll
    static void setUp() {
        SecureRandom random = new SecureRandom();
        secrets = setUpClients(GROUP, random);
        List<DmcfeKeyShare> shares = new ArrayList<>();
        for (DmcfeClientSecret secret : secrets) {
            shares.add(DmcfeKeyShares.derive(secret));
        }
        key = DmcfeFunctionalKey.combine(GROUP, shares);
        table = DiscreteLogTable.build(GROUP.curve(), GROUP.bound(), DiscreteLogTable.Progress.NONE);
    }

    /** Every client runs the real X25519-based setup against the others' public keys. */
    static List<DmcfeClientSecret> setUpClients(DmcfeGroup group, SecureRandom random) {
        List<X25519PrivateKeyParameters> keys = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            keys.add(new X25519PrivateKeyParameters(random));
        }
        List<DmcfeClientSecret> out = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            X25519PrivateKeyParameters mine = keys.get(i);
            out.add(DmcfeKeySetup.setup(group, i, other -> {
                X25519Agreement agreement = new X25519Agreement();
                agreement.init(mine);
                byte[] shared = new byte[agreement.getAgreementSize()];
                agreement.calculateAgreement(keys.get(other).generatePublicKey(), shared, 0);
                return shared;
            }, random));
        }
        return out;
    }

    private static List<DmcfeCiphertext> encryptAll(List<DmcfeClientSecret> clients, long label, long[] readings) {
        List<DmcfeCiphertext> cts = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            cts.add(new DmcfeEncryptor(clients.get(i), Long.MIN_VALUE).encrypt(label, readings[i]));
        }
        return cts;
    }

    @Test
    void maskSharesSumToZero() {
        BigInteger r = GROUP.curve().order();
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 2; col++) {
                BigInteger sum = BigInteger.ZERO;
                for (DmcfeClientSecret s : secrets) {
                    sum = sum.add(s.t(row, col));
                }
                assertEquals(BigInteger.ZERO, sum.mod(r), "T[" + row + "][" + col + "] sum");
                assertNotEquals(BigInteger.ZERO, secrets.get(0).t(row, col));
            }
        }
    }

    @Test
    void decryptsTheExactSumForSeveralLabels() {
        DmcfeDecryptor decryptor = new DmcfeDecryptor(key, table);
        long[][] readings = {{0, 0, 0, 0}, {1000, 1000, 1000, 1000}, {3, 999, 0, 512}};
        for (int label = 0; label < readings.length; label++) {
            long expected = 0;
            for (long x : readings[label]) {
                expected += x;
            }
            assertEquals(expected, decryptor.decrypt(100 + label, encryptAll(secrets, 100 + label, readings[label])));
        }
    }

    @Test
    void ciphertextsHideEqualReadingsAcrossLabels() {
        DmcfeEncryptor encryptor = new DmcfeEncryptor(secrets.get(0), Long.MIN_VALUE);
        assertNotEquals(encryptor.encrypt(1, 5).value(), encryptor.encrypt(2, 5).value());
    }

    @Test
    void wrongLabelFailsClearly() {
        List<DmcfeCiphertext> cts = encryptAll(secrets, 7, new long[] {1, 2, 3, 4});
        DmcfeDecryptor decryptor = new DmcfeDecryptor(key, table);
        // relabelling every ciphertext is not enough: the label is hashed into each mask
        List<DmcfeCiphertext> relabelled = cts.stream()
                .map(ct -> new DmcfeCiphertext(ct.client(), 8, ct.value())).toList();
        assertThrows(DiscreteLogOutOfRangeException.class, () -> decryptor.decrypt(8, relabelled));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> decryptor.decrypt(7, List.of(cts.get(0), cts.get(1), cts.get(2), relabelled.get(3))));
        assertTrue(mixed.getMessage().contains("label 8"), mixed.getMessage());
    }

    @Test
    void wrongKeyShareFails() {
        // client 2 with a mask share that does not cancel (a key share not from the agreed setup)
        DmcfeClientSecret rogue = secrets.get(2).withT(new BigInteger[][] {
            {secrets.get(2).t(0, 0).add(BigInteger.ONE), secrets.get(2).t(0, 1)},
            {secrets.get(2).t(1, 0), secrets.get(2).t(1, 1)}});
        List<DmcfeKeyShare> shares = new ArrayList<>();
        for (DmcfeClientSecret s : secrets) {
            shares.add(DmcfeKeyShares.derive(s.index() == 2 ? rogue : s));
        }
        DmcfeDecryptor decryptor = new DmcfeDecryptor(DmcfeFunctionalKey.combine(GROUP, shares), table);
        assertThrows(DiscreteLogOutOfRangeException.class,
                () -> decryptor.decrypt(9, encryptAll(secrets, 9, new long[] {1, 2, 3, 4})));

        // a functional key of another group (fresh setup) does not decrypt this group's ciphertexts either
        List<DmcfeClientSecret> others = setUpClients(GROUP, new SecureRandom());
        List<DmcfeKeyShare> otherShares = others.stream().map(DmcfeKeyShares::derive).toList();
        DmcfeDecryptor foreign = new DmcfeDecryptor(DmcfeFunctionalKey.combine(GROUP, otherShares), table);
        assertThrows(DiscreteLogOutOfRangeException.class,
                () -> foreign.decrypt(9, encryptAll(secrets, 9, new long[] {1, 2, 3, 4})));
    }

    @Test
    void boundTooSmallFailsClearly() {
        DiscreteLogTable small = DiscreteLogTable.build(GROUP.curve(), 100, DiscreteLogTable.Progress.NONE);
        DmcfeDecryptor decryptor = new DmcfeDecryptor(key, small);
        assertEquals(100, decryptor.decrypt(11, encryptAll(secrets, 11, new long[] {25, 25, 25, 25})));
        DiscreteLogOutOfRangeException e = assertThrows(DiscreteLogOutOfRangeException.class,
                () -> decryptor.decrypt(12, encryptAll(secrets, 12, new long[] {25, 25, 25, 26})));
        assertTrue(e.getMessage().contains("exceeds the bound"), e.getMessage());
    }

    @Test
    void keySharesAndCiphertextsMustComeOncePerClient() {
        List<DmcfeKeyShare> shares = secrets.stream().map(DmcfeKeyShares::derive).toList();
        assertThrows(IllegalArgumentException.class, () -> DmcfeFunctionalKey.combine(GROUP, shares.subList(0, 3)));
        assertThrows(IllegalArgumentException.class, () -> DmcfeFunctionalKey.combine(GROUP,
                List.of(shares.get(0), shares.get(1), shares.get(2), shares.get(2))));
        List<DmcfeCiphertext> cts = encryptAll(secrets, 13, new long[] {1, 1, 1, 1});
        DmcfeDecryptor decryptor = new DmcfeDecryptor(key, table);
        assertThrows(IllegalArgumentException.class, () -> decryptor.decrypt(13, cts.subList(0, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> decryptor.decrypt(13, List.of(cts.get(0), cts.get(1), cts.get(1), cts.get(3))));
    }

    @Test
    void encryptorRejectsOutOfRangeReadingsAndLabelReuse() {
        DmcfeEncryptor encryptor = new DmcfeEncryptor(secrets.get(1), 5);
        assertThrows(IllegalArgumentException.class, () -> encryptor.encrypt(6, MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> encryptor.encrypt(6, -1));
        assertThrows(IllegalArgumentException.class, () -> encryptor.encrypt(5, 1));
        encryptor.encrypt(6, 1);
        assertEquals(6, encryptor.lastUsedLabel());
        assertThrows(IllegalArgumentException.class, () -> encryptor.encrypt(6, 1));
    }

    @Test
    void setupRejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> DmcfeKeySetup.setup(GROUP, N, other -> new byte[32], new SecureRandom()));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> DmcfeKeySetup.setup(GROUP, 0, other -> new byte[32], new SecureRandom()));
        assertTrue(zero.getMessage().contains("all zero"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DmcfeGroup.onBls12381("bad id", 3, 10));
        assertThrows(IllegalArgumentException.class, () -> DmcfeGroup.onBls12381("g", 1, 10));
        assertThrows(IllegalArgumentException.class, () -> DmcfeGroup.onBls12381("g", 3, Long.MAX_VALUE / 2));
        assertTrue(secrets.get(0).toString().contains("<secret>"));
    }

    @Test
    void encodingsRoundTripAndAreStrict() {
        DmcfeCiphertext ct = new DmcfeEncryptor(secrets.get(3), Long.MIN_VALUE).encrypt(42, 17);
        byte[] encoded = DmcfeEncodings.encode(ct);
        assertEquals(DmcfeEncodings.ciphertextLength(GROUP.curve()), encoded.length);
        assertEquals(ct, DmcfeEncodings.decodeCiphertext(encoded, GROUP.curve()));

        DmcfeKeyShare share = DmcfeKeyShares.derive(secrets.get(3));
        byte[] shareBytes = DmcfeEncodings.encode(share);
        DmcfeKeyShare back = DmcfeEncodings.decodeKeyShare(shareBytes, GROUP.curve());
        assertEquals(share, back);

        byte[] wrongVersion = encoded.clone();
        wrongVersion[0] = 2;
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> DmcfeEncodings.decodeCiphertext(wrongVersion, GROUP.curve()));
        assertTrue(v.getMessage().contains("version"), v.getMessage());
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
        assertThrows(IllegalArgumentException.class, () -> DmcfeEncodings.decodeCiphertext(truncated, GROUP.curve()));
    }
}
