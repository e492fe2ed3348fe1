package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.MaskGraphOption;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.RecordingPublisher;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.Topics;

/**
 * A group on the sparse mask graph through the whole head-end core (embedded H2, real crypto, the broker replaced by
 * direct calls, the meters played with shared-crypto's SparseKeySetup): the graph in the signed announcement, one
 * key set per member with exactly its row, activation with the exact sum, the same graph after a restart, the
 * per-meter key sets cleared with the epoch, and recovery of missing meters.
 */
class SparseGraphFlowTest {
    private static final int STEP = 900;
    private static final int DEADLINE = 60;
    private static final String G = "feeder-sparse";
    private static final int N = MaskGraphOption.SPARSE_MIN_MEMBERS;
    private static final List<String> MEMBERS = IntStream.range(0, N).mapToObj(i -> String.format("m%03d", i)).toList();

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    /** The signed key frames the meters published, by meter id. */
    private final Map<String, byte[]> published = new TreeMap<>();

    private static GroupSettings sparse(PsaParameters params) {
        return new GroupSettings(G, params.name(), STEP, DEADLINE, 4 * STEP, MEMBERS).withRecovery(3, 30).withMaskGraph("sparse");
    }

    private CoreHarness open(GroupSettings settings) {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, settings);
    }

    /** Every member's public key; returns the meters by id (the key sets are then out). */
    private Map<String, TestMeter> publishPublicKeys(CoreHarness h, PsaParameters params) {
        GroupAnnouncement announcement = h.announcement(G);
        byte[] json = announcement.toJson();
        Map<String, TestMeter> meters = new LinkedHashMap<>();
        for (String id : announcement.members()) {
            TestMeter meter = new TestMeter(id, params, CoreHarness.RANDOM);
            meters.put(id, meter);
            byte[] payload = meter.publicKeyPayload(json);
            published.put(id, payload);
            h.deliver(Topics.publicKey(G, announcement.epoch(), id), payload);
        }
        return meters;
    }

    private static void publishBlindedKeys(CoreHarness h, long epoch, Map<String, TestMeter> meters) {
        for (TestMeter meter : meters.values()) {
            byte[] keySet = h.publisher.last(Topics.meterKeySet(G, epoch, meter.id())).orElseThrow().payload();
            h.deliver(Topics.blindedKey(G, epoch, meter.id()), meter.sparseBlindedKeyPayload(keySet));
        }
    }

    private static StepResult stored(CoreHarness h, long label) {
        return h.core.results().between(G, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")).stream()
                .filter(r -> r.label() == label).findFirst().orElseThrow();
    }

    @Test
    void theAnnouncementCarriesAFreshGraphWithTheRequiredThreshold() {
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            GroupAnnouncement announcement = h.announcement(G);
            assertTrue(announcement.sparse());
            assertTrue(h.core.statuses().get(0).sparseGraph(), "the status (GET /groups/{id}: maskGraph) says so");
            GraphSpec graph = announcement.maskGraph().orElseThrow();
            assertEquals(GraphParameters.DEFAULT.requiredThreshold(N), graph.threshold());
            assertEquals(MaskGraph.SEED_BYTES, graph.seed().length);
            MaskGraph rows = MaskGraph.of(graph, G, announcement.epoch(), N);
            for (int i = 0; i < N; i++) {
                assertTrue(rows.row(i).length >= GraphParameters.DEFAULT.minimumRowSize(), "no row the meters would refuse");
            }
        }
    }

    @Test
    void eachMemberGetsItsOwnKeySetWithExactlyItsRowAndTheGroupKeySetIsNeverPublished() {
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            GroupAnnouncement announcement = h.announcement(G);
            Map<String, TestMeter> meters = publishPublicKeys(h, PsaParameters.DEFAULT);

            assertTrue(h.publisher.on(Topics.keySet(G, 0)).isEmpty(), "no group key set for a sparse epoch");
            MaskGraph graph = MaskGraph.of(announcement.maskGraph().orElseThrow(), G, 0, N);
            for (int i = 0; i < N; i++) {
                String meter = MEMBERS.get(i);
                RecordingPublisher.Publication p = h.publisher.last(Topics.meterKeySet(G, 0, meter)).orElseThrow();
                assertTrue(p.retained());
                KeySetMessage keySet = KeySetMessage.fromJson(p.payload());
                assertEquals(java.util.Optional.of(meter), keySet.recipient());
                List<String> expected = new ArrayList<>();
                expected.add(meter);
                for (int j : graph.row(i)) {
                    expected.add(MEMBERS.get(j));
                }
                assertEquals(expected.stream().sorted().toList(), keySet.members(), "the recipient and exactly its row");
                assertEquals(G, keySet.group());
                assertEquals(0, keySet.epoch());
                assertEquals(PsaParameters.DEFAULT.name(), keySet.params());
            }
            // the signed key frames exactly as the meters published them
            String first = MEMBERS.get(0);
            KeySetMessage firstSet = KeySetMessage.fromJson(h.publisher.last(Topics.meterKeySet(G, 0, first)).orElseThrow().payload());
            for (String member : firstSet.members()) {
                assertArrayEquals(published.get(member), firstSet.signedKey(member));
            }
        }
    }

    @Test
    void aSparseGroupActivatesAndAggregatesTheExactSum() {
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            Map<String, TestMeter> meters = publishPublicKeys(h, PsaParameters.DEFAULT);
            publishBlindedKeys(h, 0, meters);
            GroupAnnouncement active = h.announcement(G);
            assertEquals(GroupPhase.ACTIVE, active.phase());
            assertEquals(h.announcement(G).maskGraph(), active.maskGraph(), "the ACTIVE announcement names the same graph");
            assertEquals(0, h.core.rejections().total());
            long label = active.activeFromLabel().orElseThrow();
            clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
            long sum = h.sendStep(G, 0, label, meters, 1000);
            StepResult result = stored(h, label);
            assertEquals(ResultStatus.COMPLETE, result.status());
            assertEquals(OptionalLong.of(sum), result.sum());
        }
    }

    @Test
    void aRestartedHeadEndAnnouncesTheSameGraphAndRepublishesTheSameKeySets() {
        GroupAnnouncement before;
        Map<String, byte[]> keySets = new TreeMap<>();
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            before = h.announcement(G);
            publishPublicKeys(h, PsaParameters.DEFAULT);
            for (String m : MEMBERS) {
                keySets.put(m, h.publisher.last(Topics.meterKeySet(G, 0, m)).orElseThrow().payload());
            }
        }
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            GroupAnnouncement after = h.announcement(G);
            assertEquals(before.epoch(), after.epoch(), "the same epoch continues");
            assertEquals(before.maskGraph(), after.maskGraph(), "the same seed and threshold");
            for (String m : MEMBERS) {
                RecordingPublisher.Publication p = h.publisher.last(Topics.meterKeySet(G, 0, m)).orElseThrow();
                assertArrayEquals(keySets.get(m), p.payload(), "the same key set of " + m);
                assertTrue(p.retained());
            }
            assertTrue(h.publisher.on(Topics.keySet(G, 0)).isEmpty());
            h.core.republishAll(); // a reconnect: the same again
            assertArrayEquals(keySets.get(MEMBERS.get(7)), h.publisher.last(Topics.meterKeySet(G, 0, MEMBERS.get(7))).orElseThrow().payload());
        }
    }

    @Test
    void aSupersededSparseEpochHasItsPerMeterKeySetsCleared() {
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            publishPublicKeys(h, PsaParameters.DEFAULT);
            List<String> fewer = new ArrayList<>(MEMBERS);
            fewer.add("m999");
            h.core.reconfigure(sparse(PsaParameters.DEFAULT).withMembers(fewer));
            assertEquals(1, h.announcement(G).epoch());
            assertTrue(h.announcement(G).sparse());
            for (String m : MEMBERS) {
                assertEquals(0, h.publisher.last(Topics.meterKeySet(G, 0, m)).orElseThrow().payload().length, "cleared: " + m);
                assertEquals(0, h.publisher.last(Topics.publicKey(G, 0, m)).orElseThrow().payload().length);
            }
            assertEquals(0, h.publisher.last(Topics.keySet(G, 0)).orElseThrow().payload().length,
                    "the group key set topic too (it clears the epoch's announcement)");
        }
    }

    @Test
    void aRetiredSparseEpochHasItsPerMeterKeySetsCleared() {
        GroupSettings settings = sparse(PsaParameters.DEFAULT);
        try (CoreHarness h = open(settings)) {
            Map<String, TestMeter> meters = publishPublicKeys(h, PsaParameters.DEFAULT);
            publishBlindedKeys(h, 0, meters);
            assertEquals(GroupPhase.ACTIVE, h.announcement(G).phase());
            // epoch 1 (one member more) takes over; epoch 0 retires once its last label leaves the late window
            List<String> more = new ArrayList<>(MEMBERS);
            more.add("m999");
            h.core.reconfigure(settings.withMembers(more));
            assertEquals(1, h.announcement(G).epoch());
            publishBlindedKeys(h, 1, publishPublicKeys(h, PsaParameters.DEFAULT));
            assertEquals(GroupPhase.ACTIVE, h.announcement(G).phase());
            long until = h.announcement(G).activeFromLabel().orElseThrow();
            clock.set(Instant.ofEpochSecond((until + 6) * STEP));
            h.core.tick();
            assertTrue(h.core.statuses().get(0).collectingEpochs().stream().noneMatch(e -> e == 0L), "epoch 0 retired");
            for (String m : MEMBERS) {
                assertEquals(0, h.publisher.last(Topics.meterKeySet(G, 0, m)).orElseThrow().payload().length, "cleared: " + m);
            }
        }
    }

    @Test
    void changingTheOptionStartsAnEpochOfTheOtherGraph() {
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            h.core.reconfigure(sparse(PsaParameters.DEFAULT).withMaskGraph("complete"));
            assertEquals(1, h.announcement(G).epoch());
            assertFalse(h.announcement(G).sparse());
            h.core.reconfigure(sparse(PsaParameters.DEFAULT).withMaskGraph("auto"));
            assertEquals(1, h.announcement(G).epoch(), "auto at 100 members is the complete graph: nothing changes");
        }
    }

    @Test
    void missingMetersOfASparseEpochAreRecoveredWithTheExactSum() {
        PsaParameters params = PsaParameters.RECOVERABLE;
        try (CoreHarness h = open(sparse(params))) {
            Map<String, TestMeter> meters = publishPublicKeys(h, params);
            publishBlindedKeys(h, 0, meters);
            GroupAnnouncement active = h.announcement(G);
            long label = active.activeFromLabel().orElseThrow();
            List<String> missing = List.of("m003", "m041", "m077");
            Map<String, TestMeter> reporting = new LinkedHashMap<>(meters);
            missing.forEach(reporting::remove);
            clock.set(Instant.ofEpochSecond((label + 1) * STEP + 2));
            long expected = h.sendStep(G, 0, label, reporting, 500);
            clock.set(Instant.ofEpochSecond((label + 1) * STEP + DEADLINE + 1));
            h.core.tick();
            assertEquals(ResultStatus.RECOVERING, stored(h, label).status());
            assertEquals(missing, stored(h, label).missing());

            byte[] request = h.publisher.last(Topics.recovery(G, 0)).orElseThrow().payload();
            for (TestMeter meter : reporting.values()) {
                h.deliver(Topics.recoveryAnswer(G, 0, meter.id()), meter.sparseRecoveryAnswerPayload(request));
            }
            StepResult recovered = stored(h, label);
            assertEquals(ResultStatus.RECOVERED, recovered.status());
            assertEquals(OptionalLong.of(expected), recovered.sum(), "the exact sum over the reporting meters");
            assertEquals(0, h.core.rejections().total());
        }
    }

    @Test
    void theHeadEndAcknowledgesItsOwnPerMeterKeySetWithoutCountingIt() {
        try (CoreHarness h = open(sparse(PsaParameters.DEFAULT))) {
            publishPublicKeys(h, PsaParameters.DEFAULT);
            int acks = h.acks.get();
            String topic = Topics.meterKeySet(G, 0, MEMBERS.get(5));
            h.deliver(topic, h.publisher.last(topic).orElseThrow().payload());
            h.deliver(topic, new byte[0]);
            assertEquals(acks + 2, h.acks.get());
            assertEquals(0, h.core.rejections().total());
            assertEquals(EpochPhase.KEYSET_PUBLISHED, h.core.statuses().get(0).phase());
        }
    }

    @Test
    void autoPicksTheSparseGraphAboveAThousandMembers() {
        List<String> many = IntStream.range(0, GraphParameters.COMPLETE_GRAPH_DEFAULT_UP_TO + 1).mapToObj(i -> String.format("a%04d", i)).toList();
        try (CoreHarness h = open(new GroupSettings(G, PsaParameters.DEFAULT.name(), STEP, DEADLINE, 4 * STEP, many))) {
            GroupAnnouncement announcement = h.announcement(G);
            assertTrue(announcement.sparse());
            assertEquals(GraphParameters.DEFAULT.requiredThreshold(many.size()), announcement.maskGraph().orElseThrow().threshold());
        }
        try (CoreHarness h = open(new GroupSettings("small", PsaParameters.DEFAULT.name(), STEP, DEADLINE, 4 * STEP, MEMBERS))) {
            assertFalse(h.announcement("small").sparse(), "auto: complete up to 1000 members");
        }
    }
}
