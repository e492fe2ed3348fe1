package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.cli.trust.Provisioning;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.HeadEnd;
import org.psametering.crypto.pki.Pem;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.TrustSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.meter.MeterHandle;
import org.psametering.meter.agent.TrustRefusal;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.ResultMessage;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.TimeSteps;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * The attacks of issue 10 against a real Mosquitto (no ACL, so anyone can publish anywhere), real meters and a real
 * head-end. In each case no meter blinds its key for the manipulated set (nothing that would let the attacker unmask a
 * reading leaves a meter), the refusal is counted with its reason, and the honest group goes on with exact sums.
 * (A TLS client without a certificate is {@link TlsSystemTest}'s.)
 */
class TrustAttackSystemTest {

    private static final int METERS = 5;
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Waits until every running meter counted {@code reason} at least once. */
    private static void awaitRefusal(SimulatedFleet fleet, TrustRefusal reason) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<MeterHandle> meters = fleet.meters();
            if (!meters.isEmpty() && meters.stream().allMatch(m -> m.stats().refused(reason) > 0)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every meter refused with " + reason + ": "
                        + meters.stream().map(m -> m.meterId() + "=" + m.stats().trustRefusals()).toList());
            }
            Thread.sleep(50);
        }
    }

    /** The next step after now still aggregates exactly over every member. */
    private static void assertGroupGoesOnExactly(SystemRig rig, int meters) throws InterruptedException {
        long next = TimeSteps.label(rig.clock.instant(), SystemRig.STEP_SECONDS) + 1;
        rig.assertExact(next, meters);
    }

    private static byte[] x25519() {
        return Encodings.encode(AgreementKeyPair.generate(new SecureRandom()).publicKey());
    }

    @Test
    void aDishonestHeadEndCanNeitherSwapNorInventNorReplayKeysNorShrinkTheGroup(@TempDir Path dir) throws Exception {
        String group = "g-rogue";
        try (SystemRig rig = SystemRig.start(dir, group, METERS, METERS, SystemRig.STEP_SECONDS / 2);
             RogueHeadEnd rogue = new RogueHeadEnd(rig.broker.url(), group, Provisioning.shared().headEnd().identity(),
                     SystemRig.PARAMS)) {
            List<String> members = SystemRig.memberIds(METERS);
            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            rig.assertExact(first, METERS);
            String params = SystemRig.PARAMS.name();

            // (a) the head-end swaps m-003's key for one of its own: it can sign it only with a certificate that is not m-003's
            rogue.announce(5, members);
            Map<String, byte[]> keys = rogue.awaitPublicKeys(5, members, WAIT);
            keys.put("m-003", SignedPublicKey.sign(Provisioning.shared().headEnd().identity(), group, 5, "m-003", params, x25519())
                    .encode());
            rogue.publishKeySet(5, keys);
            awaitRefusal(rig.fleet, TrustRefusal.MEMBER_CERTIFICATE);
            assertEquals(List.of(), rogue.blindedKeysOf(5), "no meter blinded its key for the swapped set");

            // (b) an invented member (Sybil) with a certificate from a CA the meters do not trust
            List<String> withGhost = new ArrayList<>(members);
            withGhost.add("m-ghost");
            rogue.announce(6, withGhost);
            Map<String, byte[]> real = rogue.awaitPublicKeys(6, members, WAIT);
            ThrowawayPki rogueCa = ThrowawayPki.create(new SecureRandom());
            real.put("m-ghost", SignedPublicKey.sign(rogueCa.meter("m-ghost").identity(), group, 6, "m-ghost", params, x25519()).encode());
            long before = rig.fleet.meters().get(0).stats().refused(TrustRefusal.MEMBER_CERTIFICATE);
            rogue.publishKeySet(6, real);
            awaitCount(rig.fleet, TrustRefusal.MEMBER_CERTIFICATE, before + 1);
            assertEquals(List.of(), rogue.blindedKeysOf(6), "no meter blinded its key for a set with an invented member");

            // (e) a meter's validly signed key of epoch 6 replayed into epoch 7
            rogue.announce(7, members);
            Map<String, byte[]> seven = rogue.awaitPublicKeys(7, members, WAIT);
            seven.put("m-002", real.get("m-002"));
            rogue.publishKeySet(7, seven);
            awaitRefusal(rig.fleet, TrustRefusal.MEMBER_SIGNATURE);
            assertEquals(List.of(), rogue.blindedKeysOf(7), "no meter blinded its key for a set with a replayed key");

            // (f) a group below the meters' minimum of 5: nobody even publishes a key for it
            rogue.announce(8, members.subList(0, 3));
            Thread.sleep(3_000);
            for (MeterHandle m : rig.fleet.meters().subList(0, 3)) {
                assertTrue(m.stats().refused(TrustRefusal.GROUP_TOO_SMALL) > 0, m.meterId() + " " + m.stats().trustRefusals());
            }
            assertFalse(rogue.anyPublicKey(8), "no key was generated for a group below the minimum");
            assertEquals(List.of(), rogue.blindedKeysOf(8));

            assertGroupGoesOnExactly(rig, METERS);
        }
    }

    private static void awaitCount(SimulatedFleet fleet, TrustRefusal reason, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fleet.meters().stream().anyMatch(m -> m.stats().refused(reason) < atLeast)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every meter counted " + atLeast + " x " + reason);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aForgedRetainedAnnouncementFromAnotherClientIsRefused(@TempDir Path dir) throws Exception {
        String group = "g-forged";
        try (SystemRig rig = SystemRig.start(dir, group, METERS, METERS, SystemRig.STEP_SECONDS / 2)) {
            MqttClient attacker = new MqttClient(rig.broker.url(), "attacker-" + UUID.randomUUID(), new MemoryPersistence());
            attacker.connect(new MqttConnectionOptions());
            byte[] headEndKey = x25519();
            byte[] unsigned = new GroupAnnouncement(group, 7, SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS,
                    SystemRig.memberIds(METERS), headEndKey, GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson();
            attacker.publish(Topics.epochAnnounce(group, 7), unsigned, 1, true);
            // signed, but by a head-end certificate of a CA the meters do not trust
            ThrowawayPki otherCa = ThrowawayPki.create(new SecureRandom());
            byte[] foreign = new GroupAnnouncement(group, 8, SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS,
                    SystemRig.memberIds(METERS), headEndKey, GroupPhase.KEY_SETUP, OptionalLong.empty()).toJson();
            attacker.publish(Topics.epochAnnounce(group, 8), SignedMessage.sign(otherCa.headEnd().identity(),
                    SignedMessage.Kind.ANNOUNCEMENT, foreign).encode(), 1, true);
            attacker.disconnect();
            attacker.close();

            rig.startMeters(METERS);
            long first = rig.awaitKeySetup(METERS, 0);
            awaitRefusal(rig.fleet, TrustRefusal.UNSIGNED);
            awaitRefusal(rig.fleet, TrustRefusal.HEAD_END_CERTIFICATE);
            for (MeterHandle m : rig.fleet.meters()) {
                assertTrue(m.stats().lastTrustRefusal().contains("HEAD_END") || m.stats().lastTrustRefusal().contains("UNSIGNED"),
                        m.stats().lastTrustRefusal());
            }
            rig.assertExact(first, METERS);
            assertGroupGoesOnExactly(rig, METERS);
        }
    }

    @Test
    void aRevokedMeterCannotJoinAndTheGroupGoesOnWithoutIt(@TempDir Path dir) throws Exception {
        String group = "g-revoked";
        List<String> honest = SystemRig.memberIds(METERS);
        List<String> withRevoked = SystemRig.memberIds(METERS + 1); // m-006 is revoked
        ThrowawayPki pki = Provisioning.shared();
        var crl = pki.revoking(List.of("m-006"));
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), false)) {
            Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), SystemRig.STEP_SECONDS) + 1, SystemRig.STEP_SECONDS);
            AcceleratedClock clock = AcceleratedClock.startingAt(origin,
                    AcceleratedClock.speedupFor(Duration.ofSeconds(SystemRig.STEP_SECONDS), SystemRig.REAL_STEP));
            Duration tick = Duration.ofMillis(SystemRig.REAL_STEP.toMillis() / 40);
            GroupSettings settings = LocalHeadEndConfig.group(group, SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS,
                    SystemRig.STEP_SECONDS / 2, withRevoked);
            var config = LocalHeadEndConfig.of(dir.resolve("head-end"), broker.url(), (int) tick.toMillis(), settings)
                    .withTrust(Provisioning.headEnd(pki, dir.resolve("head-end-trust"), List.of("m-006")));
            FleetSpec spec = new FleetSpec(METERS + 1, group, broker.url(), 42, null, clock, tick, SystemRig.ID_PREFIX);
            try (HeadEnd headEnd = HeadEnd.start(config, clock);
                 ResultWatcher results = ResultWatcher.start(broker.url(), group);
                 SimulatedFleet fleet = SimulatedFleet.empty(spec)) {
                fleet.useTrust(Provisioning.meters(pki, METERS, crl));
                for (int i = 0; i <= METERS; i++) {
                    fleet.startMeter(i);
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (headEnd.rejections().getOrDefault(RejectReason.UNTRUSTED_CERTIFICATE, 0L) == 0) {
                    assertTrue(System.nanoTime() < deadline, "the head-end never refused the revoked meter's key: " + headEnd.rejections());
                    Thread.sleep(50);
                }
                assertTrue(fleet.activations().awaitActive(1, 0, Duration.ofSeconds(2)).isEmpty(),
                        "epoch 0, which waits for the revoked meter, never became active");
                // the operator takes the revoked meter out of the group: the honest ones re-key and report exactly
                headEnd.updateGroup(settings.withMembers(honest));
                OptionalLong from = fleet.activations().awaitActive(METERS, 1, SystemRig.KEY_SETUP_WAIT);
                assertTrue(from.isPresent(), "epoch 1 without the revoked meter became active");
                ResultMessage result = results.await(from.getAsLong(), r -> r.status() == ResultStatus.COMPLETE, SystemRig.RESULT_WAIT)
                        .map(ResultWatcher.Received::result).orElseThrow(() -> new AssertionError("no result for " + from));
                OptionalLong truth = fleet.truth().sumIfAll(from.getAsLong(), METERS);
                assertTrue(truth.isPresent());
                assertEquals(truth.getAsLong(), result.sum().orElseThrow());
            }
        }
    }

    /**
     * Revocation at run time: the CRL file is replaced while the head-end runs; the reload (what SIGHUP and POST
     * /admin/reload call) picks it up, so the revoked meter's key for the next epoch is refused and that epoch never
     * activates with it. The meters here have no CRL: the head-end's refusal alone is under test.
     */
    @Test
    void aMeterRevokedAfterTheStartIsRefusedByTheHeadEndFromTheNextEpochOn(@TempDir Path dir) throws Exception {
        String group = "g-revoked-later";
        List<String> all = SystemRig.memberIds(METERS + 1); // m-006 is revoked after the start
        List<String> later = all.stream().filter(id -> !id.equals("m-005")).toList(); // the re-key: m-005 leaves
        ThrowawayPki pki = Provisioning.shared();
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), false)) {
            Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), SystemRig.STEP_SECONDS) + 1, SystemRig.STEP_SECONDS);
            AcceleratedClock clock = AcceleratedClock.startingAt(origin,
                    AcceleratedClock.speedupFor(Duration.ofSeconds(SystemRig.STEP_SECONDS), SystemRig.REAL_STEP));
            Duration tick = Duration.ofMillis(SystemRig.REAL_STEP.toMillis() / 40);
            GroupSettings settings = LocalHeadEndConfig.group(group, SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS,
                    SystemRig.STEP_SECONDS / 2, all);
            TrustSettings trust = Provisioning.headEnd(pki, dir.resolve("head-end-trust"), List.of()); // a CRL revoking nobody
            var config = LocalHeadEndConfig.of(dir.resolve("head-end"), broker.url(), (int) tick.toMillis(), settings).withTrust(trust);
            var reloaded = config.withGroups(List.of(settings.withMembers(later)));
            FleetSpec spec = new FleetSpec(METERS + 1, group, broker.url(), 42, null, clock, tick, SystemRig.ID_PREFIX);
            try (HeadEnd headEnd = HeadEnd.start(config, clock, () -> reloaded);
                 SimulatedFleet fleet = SimulatedFleet.empty(spec)) {
                fleet.useTrust(Provisioning.meters(pki, METERS));
                for (int i = 0; i <= METERS; i++) {
                    fleet.startMeter(i);
                }
                assertTrue(fleet.activations().awaitActive(METERS + 1, 0, SystemRig.KEY_SETUP_WAIT).isPresent(),
                        "epoch 0 with every meter became active");
                assertEquals(0L, headEnd.rejections().getOrDefault(RejectReason.UNTRUSTED_CERTIFICATE, 0L));

                Path next = dir.resolve("ca.crl.new"); // the operator's new CRL, renamed over the old one
                Files.writeString(next, Pem.writeCrl(pki.revoking(List.of("m-006"))));
                Files.move(next, trust.crl(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                assertTrue(headEnd.reload("test").applied(), "the reload re-keys without m-005");

                long deadline = System.nanoTime() + WAIT.toNanos();
                while (headEnd.rejections().getOrDefault(RejectReason.UNTRUSTED_CERTIFICATE, 0L) == 0) {
                    assertTrue(System.nanoTime() < deadline, "the head-end never refused the revoked meter's key: " + headEnd.rejections());
                    Thread.sleep(50);
                }
                assertTrue(fleet.activations().awaitActive(METERS, 1, Duration.ofSeconds(2)).isEmpty(),
                        "epoch 1, which waits for the revoked meter, never became active");
            }
        }
    }
}
