package org.psametering.headend.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;
import org.psametering.headend.core.PendingCiphertext;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultStatus;

/** The same round trips against embedded H2 and the local PostgreSQL (skipped, with the reason, if unreachable). */
class StoreRoundTripTest {
    private static final TestDatabases DATABASES = new TestDatabases();

    @TempDir
    Path dataDir;

    private Database open(String kind) {
        return DATABASES.open(kind, dataDir);
    }

    @AfterAll
    static void dropSchema() {
        DATABASES.dropSchema();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSparseEpochsGraphRoundTripsWithItsUnsignedThreshold(String kind) {
        try (Database db = open(kind)) {
            EpochStore store = new EpochStore(db);
            byte[] seed = new byte[32];
            seed[0] = 42;
            seed[31] = -1;
            // above 2^63: stored in a signed BIGINT with the same bits
            org.psametering.crypto.keysetup.GraphSpec graph = new org.psametering.crypto.keysetup.GraphSpec(seed, 0x9000_0000_0000_0001L);
            store.create(new EpochRecord("s", 0, "p", 900, List.of("a", "b"), new byte[]{1}, EpochPhase.ANNOUNCED, OptionalLong.empty(),
                    OptionalLong.empty(), Map.of(), Map.of(), null, java.util.Optional.of(graph)));
            store.create(new EpochRecord("s", 1, "p", 900, List.of("a", "b"), new byte[]{1}, EpochPhase.ANNOUNCED, OptionalLong.empty(),
                    OptionalLong.empty(), Map.of(), Map.of(), null));
            List<EpochRecord> epochs = store.load("s");
            assertEquals(java.util.Optional.of(graph), epochs.get(0).maskGraph());
            assertEquals(java.util.Optional.empty(), epochs.get(1).maskGraph(), "the complete graph: no columns set");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void epochsWithTheirKeysRoundTrip(String kind) {
        try (Database db = open(kind)) {
            EpochStore store = new EpochStore(db);
            byte[] secret = {9, 9, 9};
            store.create(new EpochRecord("g", 0, "p", 900, List.of("a", "b"), secret, EpochPhase.ANNOUNCED, OptionalLong.empty(),
                    OptionalLong.empty(), Map.of(), Map.of(), null));
            store.create(new EpochRecord("g", 1, "p", 60, List.of("a"), secret, EpochPhase.ANNOUNCED, OptionalLong.empty(),
                    OptionalLong.empty(), Map.of(), Map.of(), null));
            store.savePublicKey("g", 0, "a", new byte[]{1}, false);
            store.savePublicKey("g", 0, "a", new byte[]{2}, false);
            store.saveBlindedKey("g", 0, "b", new byte[]{3, 4});
            store.setPhase("g", 0, EpochPhase.ACTIVE, OptionalLong.of(77));

            List<EpochRecord> epochs = store.load("g");
            assertEquals(2, epochs.size());
            EpochRecord first = epochs.get(0);
            assertEquals(List.of("a", "b"), first.members());
            assertArrayEquals(secret, first.headEndKey());
            assertEquals(EpochPhase.ACTIVE, first.phase());
            assertEquals(OptionalLong.of(77), first.activeFrom());
            assertEquals(OptionalLong.empty(), first.activeUntil());
            assertArrayEquals(new byte[]{2}, first.publicKeys().get("a"));
            assertArrayEquals(new byte[]{3, 4}, first.blindedKeys().get("b"));
            assertEquals(60, epochs.get(1).stepSeconds());
            assertTrue(epochs.get(1).publicKeys().isEmpty());
            assertTrue(store.load("other").isEmpty());
            assertEquals(null, first.aggregationKey());

            store.saveBlindedKey("g", 0, "a", new byte[]{5});
            store.activate("g", 0, 77, new byte[]{8}, Map.of(), false, Map.of());
            // activating epoch 1 ends epoch 0 in the same transaction
            store.activate("g", 1, 500, new byte[]{7, 7}, Map.of(0L, 90L), false, Map.of());
            assertEquals(OptionalLong.of(90), store.load("g").get(0).activeUntil());
            EpochRecord activated = store.load("g").get(0);
            assertArrayEquals(new byte[]{8}, activated.aggregationKey());
            assertEquals(2, activated.blindedKeys().size(), "the activation leaves the blinded keys to a drop of their own");
            assertEquals(2, store.dropBlindedKeys("g", 0, List.of("a", "b")));
            assertTrue(store.load("g").get(0).blindedKeys().isEmpty(), "blinded keys are dropped once K is stored");
            assertEquals(1, activated.publicKeys().size());
            assertEquals(OptionalLong.of(500), store.load("g").get(1).activeFrom());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void pendingCiphertextsAndResultsRoundTrip(String kind) {
        try (Database db = open(kind)) {
            CiphertextStore pending = new CiphertextStore(db);
            ResultStore results = new ResultStore(db);
            Ciphertext big = new Ciphertext(10, 0x1F_FFFF_FFFFL, -5L); // low word uses all 64 bits
            pending.insert(List.of(new PendingCiphertext("g", 0, "a", big), new PendingCiphertext("g", 0, "b", new Ciphertext(10, 0, 1)),
                    new PendingCiphertext("g", 0, "a", new Ciphertext(11, 0, 2)), new PendingCiphertext("g", 1, "a", new Ciphertext(10, 0, 3))));
            List<PendingCiphertext> loaded = pending.load("g", 0);
            assertEquals(3, loaded.size());
            assertEquals(big, loaded.get(0).ciphertext());

            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            StepResult incomplete = new StepResult("g", 0, 10, Instant.ofEpochSecond(9000), 900, ResultStatus.INCOMPLETE, OptionalLong.empty(),
                    List.of("b", "c"), 1, at);
            results.save(List.of(incomplete));
            assertEquals(List.of(incomplete), results.between("g", Instant.ofEpochSecond(9000), Instant.ofEpochSecond(9001)));
            assertEquals(3, pending.load("g", 0).size(), "an incomplete result keeps its inputs for a late completion");

            StepResult complete = new StepResult("g", 0, 10, Instant.ofEpochSecond(9000), 900, ResultStatus.COMPLETE, OptionalLong.of(1234),
                    List.of(), 3, at.plusSeconds(5));
            results.save(List.of(complete));
            assertEquals(List.of(complete), results.between("g", Instant.EPOCH, Instant.ofEpochSecond(100_000)));
            assertEquals(List.of(11L), pending.load("g", 0).stream().map(PendingCiphertext::label).toList(),
                    "a complete result consumes its step's pending ciphertexts, and only those");
            assertEquals(1, pending.load("g", 1).size());
            assertTrue(results.between("g", Instant.ofEpochSecond(9001), Instant.ofEpochSecond(100_000)).isEmpty());
            assertEquals(List.of(complete), results.ofEpoch("g", 0, 10));

            pending.deleteBefore("g", 0, 12);
            assertTrue(pending.load("g", 0).isEmpty());
        }
    }
}
