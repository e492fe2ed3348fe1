package org.psametering.headend.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.EpochRecord;

/**
 * The activation of an epoch that does not keep its blinded keys (a non-recoverable parameter set) and the later
 * drop of those keys, on H2 and PostgreSQL. The keys are 48 KiB each: rewriting every member's row inside the
 * activation's transaction held the head-end's core thread for seconds (7 s for 2 000 members on H2).
 */
class BlindedKeyDropStoreTest {
    private static final TestDatabases DATABASES = new TestDatabases();
    private static final List<String> MEMBERS = List.of("a", "b", "c", "d", "e");

    @TempDir
    Path dataDir;
    /** A group of this test's own: the PostgreSQL schema is shared by the tests of the class. */
    private final String group = "g-" + UUID.randomUUID();

    @AfterAll
    static void dropSchema() {
        DATABASES.dropSchema();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theActivationOfANonRecoverableEpochCommitsWithoutTouchingTheKeyRows(String kind) {
        TransactionLog log = new TransactionLog();
        try (Database db = DATABASES.open(kind, dataDir, log::wrap)) {
            EpochStore store = epochWithEveryBlindedKey(db);
            log.clear();
            byte[] aggregationKey = {8, 8};
            store.activate(group, 0, 77, aggregationKey, Map.of(), false, Map.of());

            List<TransactionLog.Committed> activation = log.committedMentioning("aggregation_key");
            assertEquals(1, activation.size(), "one transaction stores the activation");
            assertEquals(List.of(), activation.get(0).statements().stream().filter(sql -> sql.contains("psa_epoch_member")).toList(),
                    "the activation's transaction must not rewrite the members' rows (their blinded keys)");
            EpochRecord active = store.load(group).get(0);
            assertEquals(EpochPhase.ACTIVE, active.phase());
            assertArrayEquals(aggregationKey, active.aggregationKey());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theKeysStayUntilDroppedAndAreDroppedInTheChunksAsked(String kind) {
        TransactionLog log = new TransactionLog();
        try (Database db = DATABASES.open(kind, dataDir, log::wrap)) {
            EpochStore store = epochWithEveryBlindedKey(db);
            store.activate(group, 0, 77, new byte[]{8}, Map.of(), false, Map.of());
            assertEquals(MEMBERS.size(), store.load(group).get(0).blindedKeys().size(), "the activation leaves the keys stored");

            log.clear();
            assertEquals(2, store.dropBlindedKeys(group, 0, MEMBERS.subList(0, 2)));
            assertEquals(Set.of("c", "d", "e"), store.load(group).get(0).blindedKeys().keySet());
            assertEquals(1, store.dropBlindedKeys(group, 0, MEMBERS.subList(1, 3)), "a key already dropped counts no more");
            assertEquals(2, store.dropBlindedKeys(group, 0, MEMBERS.subList(3, 5)));
            assertEquals(0, store.dropBlindedKeys(group, 0, MEMBERS), "a restart dropping again finds nothing left");
            EpochRecord after = store.load(group).get(0);
            assertTrue(after.blindedKeys().isEmpty());
            assertEquals(MEMBERS.size(), after.publicKeys().size(), "the public keys stay");
            assertEquals(EpochPhase.ACTIVE, after.phase());
            assertEquals(4, log.committedMentioning("blinded_key = NULL").size(), "one transaction per call");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void noKeyIsDroppedFromAnEpochWithoutItsAggregationKey(String kind) {
        try (Database db = DATABASES.open(kind, dataDir)) {
            EpochStore store = epochWithEveryBlindedKey(db);
            assertEquals(0, store.dropBlindedKeys(group, 0, MEMBERS), "K not stored: the keys are all it can be rebuilt from");
            assertEquals(MEMBERS.size(), store.load(group).get(0).blindedKeys().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theKeysOfASupersededEpochAreDroppedThoughItNeverHadAnAggregationKey(String kind) {
        try (Database db = DATABASES.open(kind, dataDir)) {
            EpochStore store = epochWithEveryBlindedKey(db);
            store.setPhase(group, 0, EpochPhase.SUPERSEDED, OptionalLong.empty());
            assertEquals(MEMBERS.size(), store.dropBlindedKeys(group, 0, MEMBERS), "a superseded epoch never becomes active");
            EpochRecord after = store.load(group).get(0);
            assertEquals(Map.of(), after.blindedKeys());
            assertEquals(EpochPhase.SUPERSEDED, after.phase());
            assertEquals(MEMBERS.size(), after.publicKeys().size(), "the public keys stay");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRetiredRecoverableEpochLosesOnlyItsBlindedKeys(String kind) {
        try (Database db = DATABASES.open(kind, dataDir)) {
            EpochStore store = epochWithEveryBlindedKey(db);
            byte[] aggregationKey = {8, 9};
            store.activate(group, 0, 77, aggregationKey, Map.of(), true, Map.of());
            store.create(new EpochRecord(group, 1, "p", 900, MEMBERS, new byte[]{1}, EpochPhase.ANNOUNCED, OptionalLong.empty(),
                    OptionalLong.empty(), Map.of(), Map.of(), null));
            store.activate(group, 1, 80, new byte[]{7}, Map.of(0L, 80L), true, Map.of());
            assertEquals(MEMBERS.size(), store.dropBlindedKeys(group, 0, MEMBERS));
            EpochRecord retired = store.load(group).get(0);
            assertEquals(Map.of(), retired.blindedKeys());
            assertArrayEquals(aggregationKey, retired.aggregationKey(), "K stays");
            assertEquals(OptionalLong.of(80), retired.activeUntil());
            assertEquals(EpochPhase.ACTIVE, retired.phase());
        }
    }

    /** Epoch g/0 over {@link #MEMBERS}, every member's public key and (4 KiB) blinded key stored. */
    private EpochStore epochWithEveryBlindedKey(Database db) {
        EpochStore store = new EpochStore(db);
        store.create(new EpochRecord(group, 0, "p", 900, MEMBERS, new byte[]{1}, EpochPhase.ANNOUNCED, OptionalLong.empty(),
                OptionalLong.empty(), Map.of(), Map.of(), null));
        for (String meter : MEMBERS) {
            store.savePublicKey(group, 0, meter, new byte[]{2}, false);
            byte[] blinded = new byte[4096];
            blinded[0] = (byte) meter.charAt(0);
            store.saveBlindedKey(group, 0, meter, blinded);
        }
        return store;
    }
}
