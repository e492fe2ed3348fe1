package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.meter.store.EpochPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.Topics;

class MeterAgentTest {

    private static final String CT = "/ct/";

    @Test
    void publishedCiphertextsAggregateExactlyToTheReadings() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2", "m3"));
        long activeFrom = h.setUpEpoch(1);
        h.tickAll(); // meters start measuring mid-step
        h.step(5, 6, 7); // ends label activeFrom - 1: epoch not yet active
        h.step(120, 0, 4031);
        h.step(1, 2, 3);

        Map<Long, List<Ciphertext>> byLabel = h.ciphertexts().get(1L);
        assertEquals(List.of(activeFrom, activeFrom + 1), List.copyOf(byLabel.keySet()), "only labels from activeFromLabel on");
        assertEquals(120 + 0 + 4031, h.aggregate(1, activeFrom, byLabel.get(activeFrom)));
        assertEquals(1 + 2 + 3, h.aggregate(1, activeFrom + 1, byLabel.get(activeFrom + 1)));
        assertEquals(h.trueSum(activeFrom), h.aggregate(1, activeFrom, byLabel.get(activeFrom)), "listener reports the plaintexts");
        for (GroupHarness.Member m : h.members.values()) {
            MeterStats stats = m.agent.stats();
            assertEquals(2, stats.encrypted());
            assertEquals(1, stats.noKey());
            assertEquals(0, stats.outboxSize(), "all acknowledged");
            assertEquals(activeFrom + 1, m.agent.state().epoch(1).orElseThrow().lastLabel());
        }
    }

    @Test
    void restartKeepsKeysAndNeverReusesALabelEvenWhenTheClockGoesBack(@TempDir Path data) {
        GroupHarness h = new GroupHarness(List.of("a", "b"), data);
        long activeFrom = h.setUpEpoch(4);
        h.tickAll();
        h.step(0, 0); // ends label activeFrom - 1 (epoch not active yet)
        h.step(10, 20);
        h.step(30, 40);
        long last = activeFrom + 1;
        GroupHarness.Member a = h.member("a");
        int pubKeysBefore = a.outbound.on("/pubkey/").size();
        int blindedBefore = a.outbound.on("/blinded/").size();

        h.start(a, true); // process restart over the same data directory
        h.redeliverRetained(a, 4);
        assertEquals(last, a.agent.state().epoch(4).orElseThrow().lastLabel());
        assertEquals(EpochPhase.ACTIVE, a.agent.state().epoch(4).orElseThrow().phase());
        assertEquals(pubKeysBefore, a.outbound.on("/pubkey/").size(), "no new key pair after a restart");
        assertEquals(blindedBefore, a.outbound.on("/blinded/").size(), "active epoch: nothing to re-send");

        // the clock jumps back to label activeFrom: labels activeFrom and last were used before the restart
        h.clock.set(Instant.ofEpochSecond(activeFrom * GroupHarness.STEP + 1));
        h.tickAll();
        int ctBefore = a.outbound.on(CT).size();
        h.step(1, 1); // ends label activeFrom
        h.step(1, 1); // ends label last
        assertEquals(2, a.agent.stats().labelNotAfterLast());
        assertEquals(ctBefore, a.outbound.on(CT).size(), "no ciphertext for a used label");
        assertEquals(last, a.agent.state().epoch(4).orElseThrow().lastLabel());

        h.step(300, 45); // ends label last + 1: new, and the restarted meter's key still adds up with the other's
        Map<Long, List<Ciphertext>> byLabel = h.ciphertexts().get(4L);
        assertEquals(List.of(activeFrom, last, last + 1), List.copyOf(byLabel.keySet()));
        assertEquals(30 + 40, h.aggregate(4, last, byLabel.get(last)));
        // a's refused steps are dropped with their energy; b's step tracker never saw the clock go back, so b's steps
        // did not end until now and its energy of the whole period is in label last + 1
        assertEquals(300 + (45 + 1 + 1), h.aggregate(4, last + 1, byLabel.get(last + 1)));
    }

    @Test
    void restartDuringKeySetupReusesTheSavedKeysAndResendsTheBlindedKey(@TempDir Path data) {
        GroupHarness h = new GroupHarness(List.of("a", "b"), data);
        h.setUpEpoch(1);
        GroupHarness.Member a = h.member("a");
        byte[] published = org.psametering.protocol.SignedPublicKey.parse(a.outbound.on("/pubkey/").get(0).payload()).keyEncoding();

        h.start(a, true);
        h.redeliverRetained(a, 1);
        assertArrayEquals(published, Encodings_publicKeyOf(a), "same key pair after restart");
    }

    private static byte[] Encodings_publicKeyOf(GroupHarness.Member m) {
        return org.psametering.crypto.wire.Encodings.encode(
                m.agent.state().epoch(1).orElseThrow().keys().agreementKey().publicKey());
    }

    @Test
    void outboxBuffersDuringOutageAndAcrossRestartThenSendsOldestFirst(@TempDir Path data) {
        GroupHarness h = new GroupHarness(List.of("a", "b"), data);
        long activeFrom = h.setUpEpoch(2);
        h.tickAll();
        h.step(0, 0); // ends label activeFrom - 1 (epoch not active yet)
        GroupHarness.Member a = h.member("a");
        a.agent.disconnected();
        h.step(11, 1);
        h.step(12, 2);
        h.step(13, 3);
        assertTrue(a.outbound.on(CT).isEmpty(), "nothing leaves while disconnected");
        assertEquals(3, a.agent.stats().outboxSize());

        h.start(a, false); // restart while the broker is still away
        assertEquals(3, a.agent.stats().outboxSize(), "the outbox survived the restart");
        a.agent.connected();

        List<Long> sentLabels = a.outbound.on(CT).stream()
                .map(s -> org.psametering.protocol.CiphertextMessage.parse(s.payload()))
                .map(msg -> org.psametering.crypto.wire.Encodings.decodeCiphertext(msg.ciphertextEncoding()).label())
                .toList();
        assertEquals(List.of(activeFrom, activeFrom + 1, activeFrom + 2), sentLabels, "oldest first");
        assertEquals(0, a.agent.stats().outboxSize());
        Map<Long, List<Ciphertext>> byLabel = h.ciphertexts().get(2L);
        assertEquals(12 + 2, h.aggregate(2, activeFrom + 1, byLabel.get(activeFrom + 1)));
    }

    @Test
    void newEpochTakesOverExactlyAtItsActiveFromLabel() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2", "m3"));
        long from1 = h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0, 0);
        h.step(1, 2, 3); // label from1, epoch 1
        long from2 = h.setUpEpoch(2); // = current label + 1
        h.step(4, 5, 6); // label from2 - 1: still epoch 1
        h.step(7, 8, 9); // label from2: epoch 2

        Map<Long, Map<Long, List<Ciphertext>>> cts = h.ciphertexts();
        assertEquals(List.of(from1, from2 - 1), List.copyOf(cts.get(1L).keySet()));
        assertEquals(List.of(from2), List.copyOf(cts.get(2L).keySet()));
        assertEquals(4 + 5 + 6, h.aggregate(1, from2 - 1, cts.get(1L).get(from2 - 1)));
        assertEquals(7 + 8 + 9, h.aggregate(2, from2, cts.get(2L).get(from2)));
        assertTrue(h.member("m1").agent.state().epoch(1).isEmpty(), "epoch 1 is forgotten once epoch 2 covers every new label");
    }

    @Test
    void keySetWithAnotherKeyForThisMeterIsRejectedAndNothingIsBlinded() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        byte[] headEnd = org.psametering.crypto.wire.Encodings.encode(
                org.psametering.crypto.keysetup.AgreementKeyPair.generate(h.random).publicKey());
        h.broadcast(Topics.announce(GroupHarness.GROUP), new org.psametering.protocol.GroupAnnouncement(GroupHarness.GROUP, 1,
                GroupHarness.PARAMS.name(), GroupHarness.STEP, List.of("m1", "m2"), headEnd,
                org.psametering.protocol.GroupPhase.KEY_SETUP, java.util.OptionalLong.empty()).toJson());
        byte[] stranger = org.psametering.crypto.wire.Encodings.encode(
                org.psametering.crypto.keysetup.AgreementKeyPair.generate(h.random).publicKey());
        // correctly signed by m1's own identity, but not the key m1 published: the head-end replayed or invented it
        byte[] strangerAsM1 = org.psametering.protocol.SignedPublicKey.sign(TestTrust.PKI.meter("m1").identity(), GroupHarness.GROUP,
                1, "m1", GroupHarness.PARAMS.name(), stranger).encode();
        GroupHarness.Member m2 = h.member("m2");
        byte[] m2Key = m2.outbound.on(Topics.publicKey(GroupHarness.GROUP, 1, "m2")).get(0).payload();
        KeySetMessage forged = new KeySetMessage(GroupHarness.GROUP, 1, GroupHarness.PARAMS.name(), Map.of("m1", strangerAsM1, "m2", m2Key));
        GroupHarness.Member m1 = h.member("m1");
        m1.agent.onMessage(Topics.keySet(GroupHarness.GROUP, 1), TestTrust.signed(Topics.keySet(GroupHarness.GROUP, 1), forged.toJson()));

        assertTrue(m1.outbound.on("/blinded/").isEmpty());
        assertEquals(1, m1.agent.stats().rejectedMessages());
        assertEquals(1, m1.agent.stats().refused(TrustRefusal.OWN_KEY));
        assertEquals(EpochPhase.KEY_SETUP, m1.agent.state().epoch(1).orElseThrow().phase());
    }

    @Test
    void theLabelIsSavedBeforeItsCiphertextLeaves() {
        GroupHarness h = new GroupHarness(List.of("a-other", "solo"));
        GroupHarness.Member m = h.member("solo");
        org.psametering.meter.store.StateStore inner = m.store;
        java.util.List<Long> savedLabels = new java.util.concurrent.CopyOnWriteArrayList<>();
        m.store = new org.psametering.meter.store.StateStore() {
            @Override
            public java.util.Optional<org.psametering.meter.store.MeterState> load() {
                return inner.load();
            }

            @Override
            public void save(org.psametering.meter.store.MeterState state) {
                inner.save(state);
                savedLabels.add(state.epoch(1).map(org.psametering.meter.store.EpochState::lastLabel).orElse(Long.MIN_VALUE));
            }
        };
        h.start(m, true);
        java.util.List<Long> violations = new java.util.ArrayList<>();
        m.outbound.onPublish = sent -> {
            if (sent.topic().contains(CT)) {
                long label = org.psametering.crypto.wire.Encodings.decodeCiphertext(
                        org.psametering.protocol.CiphertextMessage.parse(sent.payload()).ciphertextEncoding()).label();
                if (savedLabels.isEmpty() || savedLabels.get(savedLabels.size() - 1) < label) {
                    violations.add(label);
                }
            }
        };
        h.setUpEpoch(1);
        h.tickAll();
        for (int i = 0; i < 4; i++) {
            h.step(i, i);
        }
        assertEquals(3, m.outbound.on(CT).size());
        assertEquals(List.of(), violations, "labels published before they were saved as used");
    }

    @Test
    void aStepWhoseStateCannotBeSavedIsCountedAndNotSent() {
        GroupHarness h = new GroupHarness(List.of("m1", "m2"));
        GroupHarness.Member m = h.member("m1");
        org.psametering.meter.store.StateStore inner = m.store;
        java.util.concurrent.atomic.AtomicBoolean diskFull = new java.util.concurrent.atomic.AtomicBoolean();
        m.store = new org.psametering.meter.store.StateStore() {
            @Override
            public java.util.Optional<org.psametering.meter.store.MeterState> load() {
                return inner.load();
            }

            @Override
            public void save(org.psametering.meter.store.MeterState state) {
                if (diskFull.get()) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                }
                inner.save(state);
            }
        };
        h.start(m, true);
        h.setUpEpoch(1);
        h.tickAll();
        h.step(0, 0);
        diskFull.set(true);
        h.step(1, 1);
        h.step(1, 1);
        assertEquals(2, m.agent.stats().failedSteps());
        assertTrue(m.outbound.on(CT).isEmpty(), "nothing sent for a label that could not be burnt");
        diskFull.set(false);
        h.step(2, 2);
        assertEquals(1, m.outbound.on(CT).size(), "reports again once the disk has room");
    }

    @Test
    void malformedMessagesAreCountedNotThrown() {
        GroupHarness h = new GroupHarness(List.of("m1"));
        MeterAgent agent = h.member("m1").agent;
        agent.onMessage(Topics.announce(GroupHarness.GROUP), "{\"version\":1}".getBytes());
        agent.onMessage("psa/v1/other-group/announce", "{}".getBytes());
        agent.onMessage("not/ours", new byte[] {1});
        assertEquals(3, agent.stats().rejectedMessages());
        assertFalse(agent.state().newest().isPresent());
    }
}
