package org.psametering.crypto.keysetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

class KeySetupTest {

    private final GroupContext group = new GroupContext("g-keys", 9, 5, PsaParameters.KHPRF_2021);

    @Test
    void sharesOfZeroKeysSumToZeroButAreNotZeroThemselves() {
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "shares");
        PsaKey zero = SecretAccess.psaKeys().create(group.params(), ZqVector.zero(group.params().n()));
        ZqVector sum = ZqVector.zero(group.params().n());
        for (TestGroups.Meter m : setup.meters()) {
            ZqVector share = SecretAccess.blindedKeys().vector(KeySetup.blind(m.id(), m.agreement(), zero,
                    setup.keySet()));
            assertFalse(share.isZero(), "share of " + m.id());
            sum.add(share);
        }
        assertTrue(sum.isZero());
    }

    @Test
    void combinedKeyIsTheSumOfTheMetersKeys() {
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "combine");
        List<PsaKey> keys = setup.meters().stream().map(TestGroups.Meter::key).toList();
        assertTrue(TestGroups.sameKey(TestGroups.sumOfKeys(group, keys), setup.aggregationKey()));
    }

    @Test
    void bothEndsOfAPairDeriveTheSameSecret() {
        DeterministicRandom random = new DeterministicRandom("pair");
        AgreementKeyPair a = AgreementKeyPair.generate(random);
        AgreementKeyPair b = AgreementKeyPair.generate(random);
        assertEquals(32, a.sharedSecret(b.publicKey()).length);
        assertTrue(java.util.Arrays.equals(a.sharedSecret(b.publicKey()), b.sharedSecret(a.publicKey())));
    }

    @Test
    void blindingInParallelSlicesGivesExactlyTheSequentialShare() {
        GroupContext big = new GroupContext("g-slices", 3, 11, PsaParameters.KHPRF_2021);
        TestGroups.Setup setup = TestGroups.withKeySetup(big, "slices");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (TestGroups.Meter m : setup.meters()) {
                ZqVector sequential = SecretAccess.blindedKeys().vector(KeySetup.blind(m.id(), m.agreement(), m.key(), setup.keySet()));
                for (int slices : new int[] {1, 2, 3, 4, 10, 50}) {
                    ZqVector parallel = SecretAccess.blindedKeys().vector(
                            KeySetup.blind(m.id(), m.agreement(), m.key(), setup.keySet(), slices, pool));
                    assertTrue(parallel.contentEquals(sequential), m.id() + " with " + slices + " slices");
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aBadPeerKeyInAnotherSliceFailsTheWholeBlinding() {
        GroupContext big = new GroupContext("g-slices-bad", 3, 8, PsaParameters.KHPRF_2021);
        TestGroups.Setup setup = TestGroups.withKeySetup(big, "slices-bad");
        TestGroups.Meter first = setup.meters().get(0);
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>(setup.keySet().members());
        members.put(members.lastKey(), new AgreementPublicKey(new byte[32])); // low order: its agreement fails
        KeySet bad = new KeySet(big, members);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            assertThrows(IllegalArgumentException.class, () -> KeySetup.blind(first.id(), first.agreement(), first.key(), bad, 4, pool));
        } finally {
            pool.shutdown();
        }
        assertThrows(IllegalArgumentException.class, () -> KeySetup.blind(first.id(), first.agreement(), first.key(), bad, 0, Runnable::run));
    }

    @Test
    void lowOrderPeerKeyIsRejected() {
        AgreementKeyPair a = AgreementKeyPair.generate(new DeterministicRandom("low-order"));
        assertThrows(IllegalArgumentException.class, () -> a.sharedSecret(new AgreementPublicKey(new byte[32])));
    }

    @Test
    void combineNeedsExactlyOneBlindedKeyPerMember() {
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "exactly-one");
        List<BlindedKey> missing = setup.blinded().subList(0, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AggregationKeys.combine(setup.keySet(), missing));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());

        List<BlindedKey> duplicate = new ArrayList<>(missing);
        duplicate.add(setup.blinded().get(0));
        e = assertThrows(IllegalArgumentException.class, () -> AggregationKeys.combine(setup.keySet(), duplicate));
        assertTrue(e.getMessage().contains("two blinded keys"), e.getMessage());

        GroupContext otherEpoch = new GroupContext("g-keys", 10, 5, PsaParameters.KHPRF_2021);
        KeySet otherSet = new KeySet(otherEpoch, setup.keySet().members());
        assertThrows(IllegalArgumentException.class, () -> AggregationKeys.combine(otherSet, setup.blinded()));
    }

    @Test
    void blindRefusesAKeySetThatListsAnotherPublicKeyForSelf() {
        TestGroups.Setup setup = TestGroups.withKeySetup(group, "foreign");
        TestGroups.Meter m = setup.meters().get(0);
        AgreementKeyPair impostor = AgreementKeyPair.generate(new DeterministicRandom("impostor"));
        assertThrows(IllegalArgumentException.class, () -> KeySetup.blind(m.id(), impostor, m.key(), setup.keySet()));
        assertThrows(IllegalArgumentException.class,
                () -> KeySetup.blind(new MeterId("stranger"), m.agreement(), m.key(), setup.keySet()));
    }

    @Test
    void keySetSizeMustMatchTheGroup() {
        TreeMap<MeterId, AgreementPublicKey> one = new TreeMap<>();
        one.put(new MeterId("a"), AgreementKeyPair.generate(new DeterministicRandom("a")).publicKey());
        assertThrows(IllegalArgumentException.class, () -> new KeySet(group, one));
    }

    @Test
    void meterIdsAreValidatedAndOrdered() {
        assertThrows(IllegalArgumentException.class, () -> new MeterId("has space"));
        assertThrows(IllegalArgumentException.class, () -> new MeterId(""));
        assertTrue(new MeterId("A").compareTo(new MeterId("a")) < 0);
    }

    @Test
    void publicKeyIsDefensivelyCopied() {
        byte[] raw = new byte[32];
        raw[0] = 9;
        AgreementPublicKey key = new AgreementPublicKey(raw);
        raw[0] = 1;
        key.bytes()[0] = 2;
        assertEquals(9, key.bytes()[0]);
    }

    @Test
    void secretsAreNotInToString() {
        AgreementKeyPair pair = AgreementKeyPair.generate(new DeterministicRandom("tostring"));
        String hexPrivate = java.util.HexFormat.of().formatHex(SecretAccess.agreementKeyPairs().privateKey(pair));
        assertFalse(pair.toString().contains(hexPrivate));
        assertTrue(pair.toString().contains("secret"));
    }
}
