package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.Topics;

/**
 * Group commit of key-setup writes: the public and blinded keys of one inbound batch are committed one by one, forced
 * to disk once, and only then acknowledged; if that forced write fails nothing of the batch is acknowledged and the
 * redelivered keys are acknowledged once a forced write works.
 */
class KeySetupGroupCommitTest {
    private static final String G = "feeder-5";
    private static final GroupSettings GROUP = CoreHarness.group(G, 900, 60, "m1", "m2", "m3", "m4");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    private final Map<String, TestMeter> meters = new LinkedHashMap<>();

    private CoreHarness open() {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, GROUP);
    }

    private List<InboundMessage> publicKeys(CoreHarness h) {
        byte[] announcement = h.announcement(G).toJson();
        List<InboundMessage> batch = new ArrayList<>();
        for (String id : GROUP.members()) {
            TestMeter m = new TestMeter(id, PsaParameters.DEFAULT, CoreHarness.RANDOM);
            meters.put(id, m);
            batch.add(new InboundMessage(Topics.publicKey(G, 0, id), m.publicKeyPayload(announcement), h.acks::incrementAndGet));
        }
        return batch;
    }

    private List<InboundMessage> blindedKeys(CoreHarness h, String... ids) {
        byte[] keySet = h.publisher.last(Topics.keySet(G, 0)).orElseThrow().payload();
        List<InboundMessage> batch = new ArrayList<>();
        for (String id : ids) {
            batch.add(new InboundMessage(Topics.blindedKey(G, 0, id), meters.get(id).blindedKeyPayload(keySet), h.acks::incrementAndGet));
        }
        return batch;
    }

    @Test
    void aBatchOfKeysIsForcedToDiskOnceThenAcknowledged() {
        try (CoreHarness h = open()) {
            int forced = h.faults.executedCount("CHECKPOINT");
            int acks = h.acks.get();
            h.core.process(publicKeys(h));
            assertEquals(1, h.faults.executedCount("CHECKPOINT") - forced, "one forced write for the batch's four keys");
            assertEquals(acks + 4, h.acks.get());
        }
        try (CoreHarness h = open()) {
            assertEquals(4, h.core.statuses().get(0).publicKeysReceived(), "all four stored");
        }
    }

    @Test
    void keysWhoseForcedWriteFailedAreNotAcknowledgedAndTakenWhenDeliveredAgain() {
        try (CoreHarness h = open()) {
            h.core.process(publicKeys(h));
            List<InboundMessage> batch = blindedKeys(h, "m1", "m2");
            h.faults.fail("CHECKPOINT", () -> new SQLException("fsync failed"));
            int acks = h.acks.get();
            h.core.process(batch);
            assertEquals(acks, h.acks.get(), "not forced to disk, so not acknowledged");
            h.faults.heal();
            h.core.process(batch); // the broker delivers them again: already applied, acknowledged after a forced write
            assertEquals(acks + 2, h.acks.get());
            h.core.process(blindedKeys(h, "m3", "m4"));
            assertEquals(EpochPhase.ACTIVE, h.core.statuses().get(0).phase());
        }
        try (CoreHarness h = open()) {
            assertEquals(EpochPhase.ACTIVE, h.core.statuses().get(0).phase(), "the activation and its keys are stored");
        }
    }
}
