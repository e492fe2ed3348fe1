package org.psametering.meter.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.AnsweredRecovery;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.SecretKeyCodec;

class FileStateStoreTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tmp;

    private static EpochState epoch(long number, EpochPhase phase, long activeFrom) {
        EpochKeys keys = new EpochKeys(PsaKey.generate(PsaParameters.DEFAULT, RANDOM), AgreementKeyPair.generate(RANDOM));
        byte[] headEnd = Encodings.encode(AgreementKeyPair.generate(RANDOM).publicKey());
        return new EpochState(number, PsaParameters.DEFAULT.name(), 900, 3, headEnd, phase, activeFrom, keys);
    }

    private static void assertSameEpoch(EpochState expected, EpochState actual) {
        assertEquals(expected.toString(), actual.toString());
        assertArrayEquals(expected.headEndPublicKey(), actual.headEndPublicKey());
        assertEquals(expected.activeFromLabel(), actual.activeFromLabel());
        assertArrayEquals(SecretKeyCodec.export(expected.keys().psaKey()), SecretKeyCodec.export(actual.keys().psaKey()));
        assertArrayEquals(SecretKeyCodec.export(expected.keys().agreementKey()), SecretKeyCodec.export(actual.keys().agreementKey()));
    }

    @Test
    void restartRestoresEpochsKeysAndLastLabel() throws IOException {
        Path dir = tmp.resolve("meter");
        EpochState active = epoch(3, EpochPhase.ACTIVE, 2_000_100).withLastLabel(2_000_123);
        EpochState pending = epoch(4, EpochPhase.BLINDED_SENT, -1);
        MeterState saved = new MeterState("m-1", "g-1", List.of(pending, active));
        try (FileStateStore store = FileStateStore.open(dir)) {
            assertTrue(store.load().isEmpty(), "a new data directory has no state");
            store.save(saved);
        }
        try (FileStateStore store = FileStateStore.open(dir)) {
            MeterState loaded = store.load().orElseThrow();
            assertEquals("m-1", loaded.meterId());
            assertEquals("g-1", loaded.groupId());
            assertEquals(2_000_123, loaded.epoch(3).orElseThrow().lastLabel());
            assertEquals(MeterState.NO_LABEL, loaded.epoch(4).orElseThrow().lastLabel());
            assertEquals(2, loaded.epochs().size());
            assertSameEpoch(active, loaded.epochs().get(0));
            assertSameEpoch(pending, loaded.epochs().get(1));
        }
    }

    @Test
    void noLabelYetRoundTrips() throws IOException {
        try (FileStateStore store = FileStateStore.open(tmp)) {
            store.save(new MeterState("m", "g", List.of(epoch(1, EpochPhase.ACTIVE, 7))));
            assertEquals(MeterState.NO_LABEL, store.load().orElseThrow().epoch(1).orElseThrow().lastLabel());
        }
    }

    @Test
    void stateFileAndDirectoryAreOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path dir = tmp.resolve("meter");
        try (FileStateStore store = FileStateStore.open(dir)) {
            store.save(new MeterState("m", "g", List.of(epoch(1, EpochPhase.KEY_SETUP, -1))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(FileStateStore.LOCK_FILE))));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void secondProcessOnTheSameDirectoryIsRefused() throws IOException {
        try (FileStateStore first = FileStateStore.open(tmp)) {
            IOException e = assertThrows(IOException.class, () -> FileStateStore.open(tmp));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        FileStateStore.open(tmp).close(); // released on close
    }

    @Test
    void corruptFilesGiveClearErrorsNamingTheFileAndProblem() throws IOException {
        try (FileStateStore store = FileStateStore.open(tmp)) {
            store.save(new MeterState("m", "g", List.of(epoch(1, EpochPhase.ACTIVE, 3).withLastLabel(5))));
            String good = Files.readString(store.file());

            assertCorrupt(store, good.substring(0, good.length() / 2), "not valid JSON");
            assertCorrupt(store, good.replace("\"version\" : 4", "\"version\" : 7"), "version 7");
            assertCorrupt(store, good.replace("\"lastLabel\" : 5", "\"lastLabel\" : \"five\""), "lastLabel");
            assertCorrupt(store, good.replace("\"phase\" : \"ACTIVE\"", "\"phase\" : \"KEY_SETUP\""), "activeFromLabel");
            assertCorrupt(store, good.replace("\"groupId\"", "\"grupId\""), "grupId");
            String key = good.replaceAll("(?s).*\"psaKey\" : \"([^\"]+)\".*", "$1");
            byte[] truncatedKey = java.util.Arrays.copyOf(Base64.getDecoder().decode(key), 40);
            assertCorrupt(store, good.replace(key, Base64.getEncoder().encodeToString(truncatedKey)), "epochs[0].keys");
        }
    }

    private static void assertCorrupt(FileStateStore store, String content, String expected) throws IOException {
        Files.writeString(store.file(), content, StandardCharsets.UTF_8);
        CorruptStateException e = assertThrows(CorruptStateException.class, store::load);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(store.file().toString()), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("psaKey\" :"), "never echoes file content");
    }

    @Test
    void versionOneFilesAreStillReadAndTheirMeterWideLastLabelBoundsEachEpoch() throws IOException {
        EpochState old = epoch(3, EpochPhase.ACTIVE, 2_000_100);
        EpochState current = epoch(4, EpochPhase.ACTIVE, 2_000_200);
        EpochState later = epoch(5, EpochPhase.ACTIVE, 2_000_300);
        EpochState pending = epoch(6, EpochPhase.BLINDED_SENT, -1);
        try (FileStateStore store = FileStateStore.open(tmp)) {
            store.save(new MeterState("m", "g", List.of(old, current, later, pending)));
            // what version 1 wrote: one meter-wide lastLabel, none per epoch
            String v2 = asVersionTwo(asVersionThree(Files.readString(store.file())));
            String v1 = v2.replace("\"version\" : 2", "\"version\" : 1")
                    .replace("\"groupId\" : \"g\",", "\"groupId\" : \"g\",\n  \"lastLabel\" : 2000250,")
                    .replaceAll(",\\s*\"lastLabel\" : null", "");
            assertFalse(v1.equals(v2));
            Files.writeString(store.file(), v1, StandardCharsets.UTF_8);
            MeterState loaded = store.load().orElseThrow();
            assertEquals(2_000_250, loaded.epoch(3).orElseThrow().lastLabel(), "may have encrypted up to the meter-wide label");
            assertEquals(2_000_250, loaded.epoch(4).orElseThrow().lastLabel());
            assertEquals(MeterState.NO_LABEL, loaded.epoch(5).orElseThrow().lastLabel(), "starts after it: never used");
            assertEquals(MeterState.NO_LABEL, loaded.epoch(6).orElseThrow().lastLabel(), "never active: never used");
            assertSameEpoch(later, loaded.epoch(5).orElseThrow());

            store.save(loaded); // rewritten as the current version
            assertTrue(Files.readString(store.file()).contains("\"version\" : 4"));
            assertEquals(loaded.toString(), store.load().orElseThrow().toString());

            Files.writeString(store.file(), v1.replace("\"lastLabel\" : 2000250,", ""), StandardCharsets.UTF_8);
            assertThrows(CorruptStateException.class, store::load, "version 1 without its lastLabel is corrupt");
            Files.writeString(store.file(), v2.replace("\"version\" : 2", "\"version\" : 1"), StandardCharsets.UTF_8);
            assertThrows(CorruptStateException.class, store::load, "version 1 with per-epoch labels is corrupt");
        }
    }

    /** What version 3 (the format before sparse graphs) wrote: no maskGraph per epoch. */
    static String asVersionThree(String v4) {
        String v3 = v4.replace("\"version\" : 4", "\"version\" : 3").replaceAll(",\\s*\"maskGraph\" : null", "");
        assertFalse(v3.contains("maskGraph"), v3);
        return v3;
    }

    /** What version 2 wrote: no lastRecovery per epoch. */
    private static String asVersionTwo(String v3) {
        String v2 = v3.replace("\"version\" : 3", "\"version\" : 2").replaceAll(",\\s*\"lastRecovery\" : null", "");
        assertFalse(v2.contains("lastRecovery"), v2);
        return v2;
    }

    @Test
    void theLastAnsweredRecoveryRoundTripsAndVersionTwoFilesHaveNone() throws IOException {
        byte[] digest = new byte[RecoveryRequest.DIGEST_BYTES];
        RANDOM.nextBytes(digest);
        AnsweredRecovery answered = new AnsweredRecovery("g", 3, 2_000_120, digest);
        EpochState active = epoch(3, EpochPhase.ACTIVE, 2_000_100).withLastLabel(2_000_123).withLastRecovery(answered);
        EpochState plain = epoch(4, EpochPhase.ACTIVE, 2_000_200);
        try (FileStateStore store = FileStateStore.open(tmp)) {
            store.save(new MeterState("m", "g", List.of(active, plain)));
            MeterState loaded = store.load().orElseThrow();
            assertEquals(java.util.Optional.of(answered), loaded.epoch(3).orElseThrow().lastRecovery());
            assertTrue(loaded.epoch(4).orElseThrow().lastRecovery().isEmpty());
            assertEquals(2_000_123, loaded.epoch(3).orElseThrow().lastLabel());

            String v3 = asVersionThree(Files.readString(store.file()));
            String shortDigest = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(digest, 31));
            assertCorrupt(store, v3.replace(Base64.getEncoder().encodeToString(digest), shortDigest), "requestDigest");

            store.save(new MeterState("m", "g", List.of(plain)));
            Files.writeString(store.file(), asVersionTwo(asVersionThree(Files.readString(store.file()))), StandardCharsets.UTF_8);
            assertTrue(store.load().orElseThrow().epoch(4).orElseThrow().lastRecovery().isEmpty(),
                    "a version-2 meter never answered a recovery request");
            assertCorrupt(store, v3.replace("\"version\" : 3", "\"version\" : 2"), "unknown field");
        }
    }

    @Test
    void toStringsNeverShowSecrets() {
        EpochState e = epoch(1, EpochPhase.ACTIVE, 10);
        String keyB64 = Base64.getEncoder().encodeToString(SecretKeyCodec.export(e.keys().psaKey()));
        String text = new MeterState("m", "g", List.of(e)).toString();
        assertFalse(text.contains(keyB64.substring(0, 16)));
        assertEquals("EpochKeys[secret]", e.keys().toString());
    }
}
