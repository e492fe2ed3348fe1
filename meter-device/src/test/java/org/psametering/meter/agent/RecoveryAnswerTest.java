package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAggregator;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.recovery.RefusalReason;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.RecoveryAnswerMessage;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.Topics;

/**
 * The meter's recovery answers, driven through the agent as the broker would: a reporting member answers a valid request
 * so that the head-end's combination gives the exact sum over the reporting meters; the rules that keep recovery from
 * leaking (own minimum, not itself missing, one distinct request per label, persisted before the answer) hold.
 */
class RecoveryAnswerTest {

    private static final List<String> IDS = List.of("m1", "m2", "m3", "m4", "m5", "m6");
    private static final int MIN_REPORTING = 3;

    @TempDir
    Path tmp;

    private GroupHarness group;
    private long label;

    private void reportOneStep() {
        group = new GroupHarness(IDS, tmp, PsaParameters.RECOVERABLE, MIN_REPORTING);
        long activeFrom = group.setUpEpoch(1);
        while (group.currentLabel() < activeFrom) {
            group.step(0, 0, 0, 0, 0, 0);
        }
        label = group.currentLabel();
        group.step(100, 250, 3, 0, 77, 1_000);
    }

    private void request(String... missing) {
        group.broadcast(Topics.recovery(GroupHarness.GROUP, 1),
                new RecoveryRequestMessage(GroupHarness.GROUP, 1, label, List.of(missing)).toJson());
    }

    private List<byte[]> answersOf(String meter) {
        return group.member(meter).outbound.on(Topics.recoveryAnswer(GroupHarness.GROUP, 1, meter)).stream()
                .map(RecordingOutbound.Sent::payload).toList();
    }

    private Ciphertext ciphertextOf(String meter) {
        List<RecordingOutbound.Sent> sent = group.member(meter).outbound.on(Topics.ciphertext(GroupHarness.GROUP, 1, meter));
        for (RecordingOutbound.Sent s : sent) {
            byte[] body = CiphertextMessage.parse(s.payload()).verify(group.messageKey(1, meter)).ciphertextEncoding();
            Ciphertext ct = Encodings.decodeCiphertext(body, group.params);
            if (ct.label() == label) {
                return ct;
            }
        }
        throw new AssertionError(meter + " sent no ciphertext for label " + label);
    }

    @Test
    void reportingMetersAnswerSoThatTheHeadEndRecoversTheExactSumOverThem() {
        reportOneStep();
        request("m6");

        KeySet keySet = group.keySet(1);
        RecoveryRequest request = new RecoveryRequest(keySet.group(), label, new TreeSet<>(List.of(new MeterId("m6"))));
        Map<MeterId, Ciphertext> cts = new TreeMap<>();
        Map<MeterId, RecoveryAnswer> answers = new TreeMap<>();
        long expected = 0;
        for (String id : IDS.subList(0, 5)) {
            List<byte[]> sent = answersOf(id);
            assertEquals(1, sent.size(), id + " answers once");
            byte[] body = RecoveryAnswerMessage.parse(sent.get(0)).verify(group.messageKey(1, id)).answerEncoding();
            answers.put(new MeterId(id), Encodings.decodeRecoveryAnswer(body, group.params));
            cts.put(new MeterId(id), ciphertextOf(id));
            expected += group.truth.get(label).get(id);
            assertEquals(1, group.member(id).agent.stats().recoveryAnswers());
        }
        Map<MeterId, BlindedKey> missingKeys = Map.of(new MeterId("m6"), group.blindedKey(1, "m6"));
        long recovered = new RecoveryAggregator(group.aggregationKey(1), keySet).recover(request, missingKeys, cts, answers);
        assertEquals(expected, recovered, "the exact sum over the five reporting meters");
        assertTrue(expected < group.trueSum(label), "and not the sum including the missing one");

        assertTrue(answersOf("m6").isEmpty(), "a meter listed as missing does not answer");
        assertEquals(1, group.member("m6").agent.stats().recoveryRefused(RefusalReason.SELF_LISTED_MISSING.name()));
    }

    @Test
    void theSameRequestIsAnsweredAgainIdenticallyButADifferentOneForTheLabelNeverEvenAfterARestart() {
        reportOneStep();
        request("m6");
        byte[] first = answersOf("m1").get(0);
        assertTrue(group.member("m1").agent.state().epoch(1).orElseThrow().lastRecovery().isPresent(),
                "the answered request is in the state");

        request("m6"); // e.g. a restarted head-end repeating its request
        assertEquals(2, answersOf("m1").size());
        assertArrayEquals(first, answersOf("m1").get(1), "an identical request gets identical bytes");
        assertEquals(1, group.member("m1").agent.stats().recoveryRepeats());

        GroupHarness.Member m1 = group.member("m1");
        group.start(m1, true); // process restart: state from the file, key set redelivered (retained)
        group.retainedFor(m1).forEach(Runnable::run);
        request("m5", "m6"); // a second missing set for the same label would reveal m5's reading by difference
        assertEquals(2, answersOf("m1").size(), "no answer to a different request for an answered label");
        assertEquals(1, m1.agent.stats().recoveryRefused(RefusalReason.OTHER_REQUEST_ALREADY_ANSWERED.name()));

        request("m6");
        assertEquals(3, answersOf("m1").size(), "the restarted meter still answers the identical request");
        assertArrayEquals(first, answersOf("m1").get(2));
    }

    @Test
    void aReportingSetBelowTheMetersOwnMinimumGetsNoAnswer() {
        reportOneStep();
        request("m3", "m4", "m5", "m6"); // two reporting, this group's meters want at least three
        for (String id : List.of("m1", "m2")) {
            assertTrue(answersOf(id).isEmpty());
            assertEquals(1, group.member(id).agent.stats().recoveryRefused(RefusalReason.TOO_FEW_REPORTING.name()));
        }
    }

    @Test
    void aRequestForALabelNotYetEncryptedGetsNoAnswer() {
        reportOneStep();
        label = label + 1;
        request("m6");
        assertTrue(answersOf("m1").isEmpty());
        assertEquals(1, group.member("m1").agent.stats().recoveryRefused(RefusalReason.LABEL_NOT_YET_ENCRYPTED.name()));
    }

    @Test
    void anEpochWithoutRecoveryRefusesEveryRequestWithAClearReason() {
        group = new GroupHarness(IDS, tmp, PsaParameters.DEFAULT, MIN_REPORTING);
        long activeFrom = group.setUpEpoch(1);
        while (group.currentLabel() <= activeFrom) {
            group.step(1, 1, 1, 1, 1, 1);
        }
        label = group.currentLabel() - 1;
        request("m6");
        assertTrue(answersOf("m1").isEmpty());
        assertEquals(1, group.member("m1").agent.stats().recoveryRefused(RecoveryAnswerer.LocalRefusal.NOT_RECOVERABLE.name()));
    }

    @Test
    void anAnswerWhoseRecordCannotBeSavedIsNeverSent() {
        group = new GroupHarness(IDS, null, PsaParameters.RECOVERABLE, MIN_REPORTING);
        long activeFrom = group.setUpEpoch(1);
        while (group.currentLabel() < activeFrom) {
            group.step(0, 0, 0, 0, 0, 0);
        }
        label = group.currentLabel();
        group.step(5, 6, 7, 8, 9, 10);
        GroupHarness.Member m1 = group.member("m1");
        org.psametering.meter.store.StateStore healthy = m1.store;
        java.util.concurrent.atomic.AtomicBoolean diskFull = new java.util.concurrent.atomic.AtomicBoolean(true);
        m1.store = new org.psametering.meter.store.StateStore() {
            @Override
            public java.util.Optional<org.psametering.meter.store.MeterState> load() {
                return healthy.load();
            }

            @Override
            public void save(org.psametering.meter.store.MeterState state) {
                if (diskFull.get()) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                }
                healthy.save(state);
            }
        };
        group.start(m1, true);
        group.retainedFor(m1).forEach(Runnable::run);

        request("m6");
        assertTrue(answersOf("m1").isEmpty(), "not answered while the answered request cannot be recorded");
        assertTrue(m1.agent.state().epoch(1).orElseThrow().lastRecovery().isEmpty());

        diskFull.set(false);
        request("m6");
        assertEquals(1, answersOf("m1").size());
        assertTrue(healthy.load().orElseThrow().epoch(1).orElseThrow().lastRecovery().isPresent(), "recorded on disk");
    }

    @Test
    void theSeedsForAnswersAreHeldOnlyWhileTheirEpochIsInTheStateAndWipedAtStop() {
        reportOneStep();
        GroupHarness.Member m1 = group.member("m1");
        assertEquals(java.util.Set.of(1L), m1.agent.epochsWithRecoverySeeds(), "derived when the key set arrived");

        long next = group.setUpEpoch(2);
        assertEquals(java.util.Set.of(1L, 2L), m1.agent.epochsWithRecoverySeeds(), "epoch 1 still covers steps before 2's");
        while (group.currentLabel() <= next) {
            group.step(1, 1, 1, 1, 1, 1);
        }
        assertTrue(m1.agent.state().epoch(1).isEmpty(), "a step under epoch 2 dropped epoch 1 from the state");
        assertEquals(java.util.Set.of(2L), m1.agent.epochsWithRecoverySeeds(), "and its seeds with it");

        m1.agent.stop();
        assertTrue(m1.agent.epochsWithRecoverySeeds().isEmpty(), "a stopped meter holds no seeds");
    }

    @Test
    void aRedeliveredKeySetKeepsAnsweringExactlyFromTheSameSeeds() {
        reportOneStep();
        GroupHarness.Member m1 = group.member("m1");
        group.retainedFor(m1).forEach(Runnable::run); // a resubscribe: the retained key set arrives again
        request("m6");
        assertEquals(1, answersOf("m1").size());
        KeySet keySet = group.keySet(1);
        RecoveryRequest request = new RecoveryRequest(keySet.group(), label, new TreeSet<>(List.of(new MeterId("m6"))));
        Map<MeterId, Ciphertext> cts = new TreeMap<>();
        Map<MeterId, RecoveryAnswer> answers = new TreeMap<>();
        long expected = 0;
        for (String id : IDS.subList(0, 5)) {
            byte[] body = RecoveryAnswerMessage.parse(answersOf(id).get(0)).verify(group.messageKey(1, id)).answerEncoding();
            answers.put(new MeterId(id), Encodings.decodeRecoveryAnswer(body, group.params));
            cts.put(new MeterId(id), ciphertextOf(id));
            expected += group.truth.get(label).get(id);
        }
        long recovered = new RecoveryAggregator(group.aggregationKey(1), keySet).recover(request,
                Map.of(new MeterId("m6"), group.blindedKey(1, "m6")), cts, answers);
        assertEquals(expected, recovered);
    }

    @Test
    void aMeterThatSkippedTheStepIsMissingRefusesToAnswerForItAndTheOthersGiveTheSumWithoutIt() {
        group = new GroupHarness(IDS, tmp, PsaParameters.RECOVERABLE, MIN_REPORTING);
        long activeFrom = group.setUpEpoch(1);
        while (group.currentLabel() < activeFrom) {
            group.step(0, 0, 0, 0, 0, 0);
        }
        label = group.currentLabel();
        group.skipping.add("m6");
        group.step(100, 250, 3, 0, 77, 1_000);
        group.skipping.clear();
        GroupHarness.Member m6 = group.member("m6");
        assertEquals(1, m6.agent.stats().skippedSteps());
        assertTrue(m6.outbound.on(Topics.ciphertext(GroupHarness.GROUP, 1, "m6")).isEmpty(), "nothing sent for the step");
        assertTrue(group.truth.get(label).get("m6") == null, "nothing encrypted either");

        // a head-end that lists it as reporting gets nothing from it: it never used the label
        request("m5");
        assertTrue(answersOf("m6").isEmpty());
        assertEquals(1, m6.agent.stats().recoveryRefused(RefusalReason.LABEL_NOT_YET_ENCRYPTED.name()));

        // two steps on, m6 skips again and is listed missing, as an honest head-end does
        label = label + 1;
        group.step(10, 20, 30, 40, 50, 60);
        group.skipping.add("m6");
        label = label + 1;
        group.step(1, 2, 3, 4, 5, 6);
        request("m6");
        assertTrue(answersOf("m6").isEmpty(), "listed as missing: no answer");
        assertEquals(1, m6.agent.stats().recoveryRefused(RefusalReason.SELF_LISTED_MISSING.name()));
        KeySet keySet = group.keySet(1);
        RecoveryRequest request = new RecoveryRequest(keySet.group(), label, new TreeSet<>(List.of(new MeterId("m6"))));
        Map<MeterId, Ciphertext> cts = new TreeMap<>();
        Map<MeterId, RecoveryAnswer> answers = new TreeMap<>();
        for (String id : IDS.subList(0, 5)) {
            List<byte[]> sent = answersOf(id);
            byte[] body = RecoveryAnswerMessage.parse(sent.get(sent.size() - 1)).verify(group.messageKey(1, id)).answerEncoding();
            answers.put(new MeterId(id), Encodings.decodeRecoveryAnswer(body, group.params));
            cts.put(new MeterId(id), ciphertextOf(id));
        }
        long recovered = new RecoveryAggregator(group.aggregationKey(1), keySet).recover(request,
                Map.of(new MeterId("m6"), group.blindedKey(1, "m6")), cts, answers);
        assertEquals(1 + 2 + 3 + 4 + 5, recovered, "the exact sum over the five meters that sent");
    }
}
