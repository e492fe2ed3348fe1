package org.psametering.headend.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupPhase;

class EpochKeySetupTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final PsaParameters PARAMS = PsaParameters.DEFAULT;
    private static final List<String> MEMBERS = List.of("m1", "m2", "m3");

    private final EpochKeySetup setup = EpochKeySetup.start("feeder-1", 0, PARAMS, 900, MEMBERS, RANDOM);
    private final Map<String, TestMeter> meters = new LinkedHashMap<>();
    private final Map<String, byte[]> publicKeys = new LinkedHashMap<>();

    EpochKeySetupTest() {
        byte[] announcement = setup.announcement().toJson();
        for (String id : MEMBERS) {
            TestMeter meter = new TestMeter(id, PARAMS, RANDOM);
            meters.put(id, meter);
            publicKeys.put(id, meter.publicKeyPayload(announcement));
        }
    }

    @Test
    void walksAnnounceKeysKeysetBlindedActive() {
        assertEquals(EpochPhase.ANNOUNCED, setup.phase());
        assertEquals(GroupPhase.KEY_SETUP, setup.announcement().phase());
        assertEquals(EpochKeySetup.Progress.STORED, setup.onPublicKey("m1", publicKeys.get("m1")));
        assertEquals(EpochKeySetup.Progress.UNCHANGED, setup.onPublicKey("m1", publicKeys.get("m1")));
        assertEquals(EpochKeySetup.Progress.STORED, setup.onPublicKey("m2", publicKeys.get("m2")));
        assertThrows(IllegalStateException.class, setup::keySetMessage);
        assertEquals(EpochKeySetup.Progress.KEYSET_COMPLETE, setup.onPublicKey("m3", publicKeys.get("m3")));
        assertEquals(EpochPhase.KEYSET_PUBLISHED, setup.phase());
        assertEquals(MEMBERS, setup.keySetMessage().members());

        byte[] keySet = setup.keySetMessage().toJson();
        List<byte[]> blinded = new ArrayList<>();
        meters.values().forEach(m -> blinded.add(m.blindedKeyPayload(keySet)));
        assertEquals(EpochKeySetup.Progress.STORED, setup.onBlindedKey("m1", blinded.get(0)));
        assertEquals(EpochKeySetup.Progress.UNCHANGED, setup.onBlindedKey("m1", blinded.get(0)));
        assertEquals(EpochKeySetup.Progress.STORED, setup.onBlindedKey("m2", blinded.get(1)));
        assertEquals(EpochKeySetup.Progress.BLINDED_COMPLETE, setup.onBlindedKey("m3", blinded.get(2)));
        setup.activate(100);
        assertEquals(EpochPhase.ACTIVE, setup.phase());
        assertEquals(OptionalLong.of(100), setup.announcement().activeFromLabel());

        // the derived key really decrypts the members' sum
        assertEquals(10 + 20 + 30, aggregate(setup, 100, 10, 20, 30));
    }

    @Test
    void restoredEpochDerivesTheSameAggregationKey() {
        byte[] keySet = completePublicKeys();
        Map<String, byte[]> blindedBodies = new LinkedHashMap<>();
        for (TestMeter meter : meters.values()) {
            EpochKeySetup.BlindedKeyUpdate update = setup.checkBlindedKey(meter.id(), meter.blindedKeyPayload(keySet));
            setup.apply(update);
            blindedBodies.put(meter.id(), update.encoding()); // what the caller stores
        }
        setup.activate(5);
        EpochRecord record = new EpochRecord("feeder-1", 0, PARAMS.name(), 900, MEMBERS, setup.exportHeadEndKey(), EpochPhase.ACTIVE,
                OptionalLong.of(5), OptionalLong.empty(), publicKeys, blindedBodies, null);
        EpochKeySetup restored = EpochKeySetup.restore(record);
        assertEquals(EpochPhase.ACTIVE, restored.phase());
        assertArrayEquals(setup.announcement().headEndPublicKey(), restored.announcement().headEndPublicKey());
        assertEquals(1 + 2 + 3, aggregate(restored, 7, 1, 2, 3));

        // the stored aggregation key alone (blinded keys dropped) restores the same epoch
        EpochRecord withKey = new EpochRecord("feeder-1", 0, PARAMS.name(), 900, MEMBERS, setup.exportHeadEndKey(), EpochPhase.ACTIVE,
                OptionalLong.of(5), OptionalLong.empty(), publicKeys, Map.of(), setup.exportAggregationKey());
        EpochKeySetup fromKey = EpochKeySetup.restore(withKey);
        assertEquals(4 + 5 + 6, aggregate(fromKey, 8, 4, 5, 6));
        // an authentic blinded key after activation is a redelivery; garbage is refused and so counted (issue 8 defect 7)
        assertEquals(EpochKeySetup.Progress.UNCHANGED, fromKey.onBlindedKey("m1", meters.get("m1").blindedKeyPayload(keySet)));
        assertReason(RejectReason.MALFORMED, () -> fromKey.onBlindedKey("m1", new byte[3]));
    }

    /**
     * Issue 12: a head-end with 1 000 groups of 100 held every group's blinded keys (48 KiB each) for good, ~7 GiB. Each
     * verified blinded key is folded into K as it is applied and dropped; only a recoverable epoch keeps them (a
     * recovery subtracts the missing meters' ones from K).
     */
    @Test
    void blindedKeysAreFoldedIntoKAndNotKept() {
        byte[] keySet = completePublicKeys();
        setup.onBlindedKey("m1", meters.get("m1").blindedKeyPayload(keySet));
        setup.onBlindedKey("m2", meters.get("m2").blindedKeyPayload(keySet));
        assertEquals(2, setup.blindedKeysReceived());
        assertEquals(0, setup.retainedBlindedKeys(), "blinded keys kept in memory after they were applied");
        // a redelivery of an applied key is still recognised, a different second key still refused
        assertEquals(EpochKeySetup.Progress.UNCHANGED, setup.onBlindedKey("m1", meters.get("m1").blindedKeyPayload(keySet)));
        byte[] otherBody = org.psametering.protocol.BlindedKeyMessage.parse(meters.get("m1").blindedKeyPayload(keySet))
                .verify(meters.get("m1").messageKey()).blindedKeyEncoding();
        assertReason(RejectReason.DUPLICATE, () -> setup.onBlindedKey("m2",
                org.psametering.protocol.BlindedKeyMessage.seal(otherBody, meters.get("m2").messageKey())));
        assertEquals(EpochKeySetup.Progress.BLINDED_COMPLETE, setup.onBlindedKey("m3", meters.get("m3").blindedKeyPayload(keySet)));
        assertEquals(0, setup.retainedBlindedKeys());
        setup.activate(9);
        assertEquals(7 + 8 + 9, aggregate(setup, 9, 7, 8, 9));
    }

    /**
     * A recoverable epoch keeps its decoded blinded keys for recovery until it is retired or superseded; then they are
     * let go (48 KiB each), and a redelivery of an applied key is still recognised.
     */
    @Test
    void aRecoverableEpochLetsGoOfItsKeptBlindedKeysWhenReleased() {
        PsaParameters rec = PsaParameters.RECOVERABLE;
        EpochKeySetup recoverable = EpochKeySetup.start("feeder-1", 0, rec, 900, MEMBERS, RANDOM);
        byte[] announcement = recoverable.announcement().toJson();
        Map<String, TestMeter> own = new LinkedHashMap<>();
        for (String id : MEMBERS) {
            TestMeter meter = new TestMeter(id, rec, RANDOM);
            own.put(id, meter);
            recoverable.onPublicKey(id, meter.publicKeyPayload(announcement));
        }
        byte[] keySet = recoverable.keySetMessage().toJson();
        for (String id : MEMBERS) {
            recoverable.onBlindedKey(id, own.get(id).blindedKeyPayload(keySet));
        }
        recoverable.activate(9);
        assertEquals(MEMBERS.size(), recoverable.retainedBlindedKeys(), "kept for recovery while it collects");
        recoverable.releaseBlindedKeys();
        assertEquals(0, recoverable.retainedBlindedKeys());
        assertEquals(java.util.Optional.empty(), recoverable.blindedKey("m1"));
        assertEquals(EpochKeySetup.Progress.UNCHANGED, recoverable.onBlindedKey("m1", own.get("m1").blindedKeyPayload(keySet)));
    }

    /** Issue 8 defect 7: random bytes on a pubkey topic after the keyset are MALFORMED, not a changed key (DUPLICATE). */
    @Test
    void randomBytesOnAPublicKeyTopicAreMalformedInEveryPhase() {
        completePublicKeys();
        assertReason(RejectReason.MALFORMED, () -> setup.onPublicKey("m1", new byte[]{7, 7, 7, 7}));
    }

    /** Issue 14 defect 2: checking a key changes nothing; only apply() does, after the caller stored it. */
    @Test
    void checkingAKeyChangesNothingUntilItIsApplied() {
        EpochKeySetup.PublicKeyUpdate update = setup.checkPublicKey("m1", publicKeys.get("m1"));
        assertEquals(0, setup.publicKeysReceived());
        assertEquals(null, setup.messageKey("m1"));
        setup.apply(update);
        assertEquals(1, setup.publicKeysReceived());
        byte[] replacement = new TestMeter("m1", PARAMS, RANDOM).publicKeyPayload(setup.announcement().toJson());
        assertTrue(setup.checkPublicKey("m1", replacement).replacesKey(), "a replaced key is reported to the caller");
    }

    @Test
    void refusesWhatDoesNotFitThePhaseOrTheMember() {
        assertReason(RejectReason.UNKNOWN_METER, () -> setup.onPublicKey("intruder", publicKeys.get("m1")));
        assertReason(RejectReason.MALFORMED, () -> setup.onPublicKey("m1", new byte[]{1, 2, 3}));
        assertReason(RejectReason.OUT_OF_PHASE, () -> setup.onBlindedKey("m1", new byte[40]));
        byte[] keySet = completePublicKeys();
        // a meter may not swap its key once the keyset is out
        TestMeter impostor = new TestMeter("m1", PARAMS, RANDOM);
        assertReason(RejectReason.DUPLICATE, () -> setup.onPublicKey("m1", impostor.publicKeyPayload(setup.announcement().toJson())));

        byte[] good = meters.get("m2").blindedKeyPayload(keySet);
        byte[] forged = good.clone();
        forged[20] ^= 1;
        assertReason(RejectReason.FORGED, () -> setup.onBlindedKey("m2", forged));
        // m1's blinded key on m2's topic: the tag is bound to m1
        assertReason(RejectReason.FORGED, () -> setup.onBlindedKey("m2", meters.get("m1").blindedKeyPayload(keySet)));
        assertReason(RejectReason.MALFORMED, () -> setup.onBlindedKey("m2", new byte[5]));
        assertEquals(0, setup.blindedKeysReceived());
        assertThrows(IllegalStateException.class, () -> setup.activate(1));
    }

    private byte[] completePublicKeys() {
        publicKeys.forEach(setup::onPublicKey);
        return setup.keySetMessage().toJson();
    }

    private long aggregate(EpochKeySetup epoch, long label, long... readings) {
        List<Ciphertext> cts = new ArrayList<>();
        int i = 0;
        for (TestMeter meter : meters.values()) {
            byte[] body = org.psametering.protocol.CiphertextMessage.parse(meter.ciphertextPayload(label, readings[i++]))
                    .verify(epoch.messageKey(meter.id())).ciphertextEncoding();
            cts.add(Encodings.decodeCiphertext(body));
        }
        return new PsaAggregator(epoch.aggregationKey(), epoch.context()).aggregate(label, cts);
    }

    static void assertReason(RejectReason expected, Runnable action) {
        Rejected rejected = assertThrows(Rejected.class, action::run);
        assertEquals(expected, rejected.reason(), rejected.getMessage());
    }
}
