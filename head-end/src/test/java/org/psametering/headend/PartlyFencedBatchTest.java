package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.GroupFence;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.Topics;

/**
 * One inbound batch carries ciphertexts of a group this instance still owns and of one whose lease it just lost: the
 * owned group's are stored and acknowledged, the lost group's are neither (they go to the new owner), and the database
 * is not reported failing.
 */
class PartlyFencedBatchTest {
    private static final int STEP = 900;
    private static final GroupSettings KEPT = CoreHarness.group("kept", STEP, 60, "a1", "a2", "a3", "a4", "a5");
    private static final GroupSettings LOST = CoreHarness.group("lost", STEP, 60, "b1", "b2", "b3", "b4", "b5");

    @TempDir
    Path dataDir;

    @Test
    void theOwnedGroupsCiphertextsAreStoredAndAcknowledgedTheLostGroupsAreNot() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        Set<String> owned = ConcurrentHashMap.newKeySet();
        owned.addAll(List.of("kept", "lost"));
        GroupFence fence = (c, group) -> {
            if (!owned.contains(group)) {
                throw new GroupFence.FencedOut(group, "group " + group + ": lease lost (test)");
            }
        };
        try (CoreHarness h = new CoreHarness(StorageSettings.defaults(), dataDir, clock, fence, KEPT, LOST)) {
            Map<String, TestMeter> kept = h.setUpKeys("kept");
            Map<String, TestMeter> lost = h.setUpKeys("lost");
            long label = h.announcement("kept").activeFromLabel().orElseThrow();
            clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
            owned.remove("lost");

            AtomicInteger keptAcks = new AtomicInteger();
            AtomicInteger lostAcks = new AtomicInteger();
            List<InboundMessage> batch = new ArrayList<>();
            long reading = 100;
            byte[] b1 = null;
            for (String id : List.of("1", "2")) {
                byte[] payload = lost.get("b" + id).ciphertextPayload(label, reading++);
                b1 = b1 == null ? payload : b1;
                batch.add(new InboundMessage(Topics.ciphertext("lost", 0, "b" + id), payload, lostAcks::incrementAndGet));
                batch.add(new InboundMessage(Topics.ciphertext("kept", 0, "a" + id), kept.get("a" + id).ciphertextPayload(label, reading++),
                        keptAcks::incrementAndGet));
            }
            // a second copy of a lost group's ciphertext in the same batch is not acknowledged either
            batch.add(new InboundMessage(Topics.ciphertext("lost", 0, "b1"), b1,
                    lostAcks::incrementAndGet));
            h.core.process(batch);

            assertEquals(2, keptAcks.get(), "the owned group's ciphertexts are acknowledged");
            assertEquals(0, lostAcks.get(), "a ciphertext of a group whose lease is lost was acknowledged");
            CiphertextStore store = new CiphertextStore(h.db);
            assertEquals(2, store.load("kept", 0).size());
            assertTrue(store.load("lost", 0).isEmpty());
            assertTrue(h.core.storageHealth().healthy(), "a lost lease is not a database failure");
        }
    }
}
