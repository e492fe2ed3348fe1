package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;

/**
 * The sparse mask graph end to end with a real Mosquitto, the real head-end and real meters: a group of 100 (the
 * smallest the head-end sets up sparse) configured {@code maskGraph: sparse} is announced with a graph, every meter gets
 * only its own key set (itself and its row), blinds over its neighbours only, the sums are exact, and a step with two
 * meters cut off is recovered exactly from the others' answers over their neighbours.
 */
class SparseGraphSystemTest {
    private static final int METERS = 100;
    /** Half a step: 100 meters on two cores need more room than the small groups of the other system tests. */
    private static final int DEADLINE_SECONDS = SystemRig.STEP_SECONDS / 2;

    @Test
    void aSparseGroupOfAHundredSetsUpOverPerMeterKeySetsAndRecoversAStepWithTwoMetersMissing(@TempDir Path dir)
            throws Exception {
        try (SystemRig rig = SystemRig.start(dir, "g-sparse", METERS, METERS, DEADLINE_SECONDS, false, true,
                PsaParameters.RECOVERABLE, group -> group.withMaskGraph("sparse"));
             TcpRelay link = new TcpRelay(rig.broker.port())) {
            List<String> ids = SystemRig.memberIds(METERS);
            rig.startMetersWithLastBehind(METERS, 2, link);
            long first = rig.awaitKeySetup(METERS, 0);

            // what the broker holds: a sparse announcement, no group key set, one key set per meter cut to its row
            GroupAnnouncement announced = GroupAnnouncement.fromJson(SignedMessage.parse(
                    RetainedProbe.one(rig.broker.url(), Topics.epochAnnounce("g-sparse", 0)).orElseThrow()).unverifiedBody());
            assertTrue(announced.sparse(), "announced with a mask graph: " + announced);
            assertTrue(RetainedProbe.one(rig.broker.url(), Topics.keySet("g-sparse", 0)).isEmpty(),
                    "a sparse epoch has no group key set");
            Map<String, byte[]> perMeter = RetainedProbe.read(rig.broker.url(), "psa/v1/g-sparse/0/keyset/+");
            assertEquals(METERS, perMeter.size(), "one key set per member");
            MaskGraph graph = MaskGraph.of(announced.maskGraph().orElseThrow(), "g-sparse", 0, METERS);
            List<String> members = announced.members();
            int largest = 0;
            for (int i = 0; i < METERS; i++) {
                String meter = members.get(i);
                KeySetMessage set = KeySetMessage.fromJson(SignedMessage.parse(
                        perMeter.get(Topics.meterKeySet("g-sparse", 0, meter))).unverifiedBody());
                assertEquals(java.util.Optional.of(meter), set.recipient());
                Set<String> expected = new TreeSet<>();
                expected.add(meter);
                for (int j : graph.row(i)) {
                    expected.add(members.get(j));
                }
                assertEquals(expected, new TreeSet<>(set.members()), "the key set of " + meter + " is itself and its row");
                largest = Math.max(largest, set.members().size());
            }
            assertTrue(largest < METERS, "no meter got the whole group's keys (largest set " + largest + ")");

            // the first steps after key setup are the busiest (100 meters finishing at once on two cores): the first
            // COMPLETE step among the next ones must carry the true sum of all 100
            long complete = firstWith(rig, first, ResultStatus.COMPLETE);
            rig.assertExact(complete, METERS);

            link.cut(); // two meters lose the network: their steps are recovered from the others' answers
            long cut = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1;
            long step = firstWith(rig, cut, ResultStatus.RECOVERED);
            ResultMessage recovered = rig.results.latest(step).orElseThrow().result();
            assertTrue(recovered.missing().containsAll(ids.subList(METERS - 2, METERS)),
                    "the two cut-off meters are missing: " + recovered);
            long expected = 0;
            int reporting = 0;
            for (String id : ids) {
                if (recovered.missing().contains(id)) {
                    continue;
                }
                OptionalLong reading = rig.fleet.truth().reading(id, step);
                assertTrue(reading.isPresent(), id + " encrypted no reading for label " + step);
                expected += reading.getAsLong();
                reporting++;
            }
            assertTrue(reporting >= METERS - 10, "recovered over " + reporting + " meters: " + recovered);
            assertEquals(expected, recovered.sum().orElseThrow(), "the exact sum over the " + reporting + " reporting meters");
        }
    }

    /** The first label from {@code from} on (within 12 steps) whose result reaches {@code status}. */
    private static long firstWith(SystemRig rig, long from, ResultStatus status) throws InterruptedException {
        for (long label = from; label < from + 12; label++) {
            if (rig.results.await(label, r -> r.status() == status, java.time.Duration.ofSeconds(label == from ? 45 : 6))
                    .filter(received -> received.result().status() == status).isPresent()) { // await returns the newest on timeout
                return label;
            }
        }
        throw new AssertionError("no " + status + " result for labels " + from + ".." + (from + 11) + rig.diagnostics());
    }
}
