package org.psametering.cli.bench.ingest;

import org.psametering.cli.trust.Provisioning;
import org.psametering.protocol.SignedPublicKey;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.HeadEnd;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.Topics;

/**
 * The benchmark's M meters and their key setup with the real head-end over MQTT: public keys, key set, blinded keys
 * (dealer shortcut, see {@link DealerBlindedKeys}), activation. Afterwards every meter has an encryptor and a message key.
 */
final class BenchGroup {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);

    /** Timings of the key setup, for the report. */
    record SetupTimes(Duration keyGeneration, Duration publicKeys, Duration blindedKeys, Duration oneRealBlinding, long activeFrom,
                      long blindedKeyBytes) {
        /** Blinded keys received, checked and stored by the head-end per second (sealing on this side included). */
        double blindedKeysPerSecond(int count) {
            return count / (blindedKeys.toNanos() / 1e9);
        }
    }

    private final String group;
    private final PsaParameters params;
    private final List<BenchMeter> meters = new ArrayList<>();
    private GroupContext context;
    private List<PsaKey> psaKeys;

    BenchGroup(String group, PsaParameters params, List<String> ids) {
        this.group = group;
        this.params = params;
        for (String id : ids) {
            meters.add(new BenchMeter(id, null));
        }
    }

    List<BenchMeter> meters() {
        return meters;
    }

    GroupContext context() {
        return context;
    }

    SetupTimes setUp(HeadEnd headEnd, AnnouncementWatcher announcements, LoadGenerator publisher) throws InterruptedException {
        long t0 = System.nanoTime();
        generateKeys();
        long t1 = System.nanoTime();
        long epoch = publishPublicKeys(headEnd, announcements, publisher);
        long t2 = System.nanoTime();
        long blindedBytes = publishBlindedKeys(publisher);
        GroupAnnouncement active = awaitActive(announcements, epoch);
        long t3 = System.nanoTime();
        Duration realBlinding = timeOneRealBlinding(psaKeys.get(0));
        return new SetupTimes(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2), realBlinding,
                active.activeFromLabel().orElseThrow(), blindedBytes);
    }

    /** Each meter's PSA key and X25519 epoch key pair. */
    void generateKeys() {
        SecureRandom random = fastRandom();
        psaKeys = new ArrayList<>(meters.size());
        List<BenchMeter> withKeys = new ArrayList<>(meters.size());
        for (BenchMeter m : meters) {
            psaKeys.add(PsaKey.generate(params, random));
            withKeys.add(new BenchMeter(m.id, AgreementKeyPair.generate(random)));
        }
        meters.clear();
        meters.addAll(withKeys);
    }

    /**
     * Waits for the KEY_SETUP announcement, publishes every meter's signed epoch key and waits until the head-end has
     * them all; derives each meter's message key. Returns the epoch.
     */
    long publishPublicKeys(HeadEnd headEnd, AnnouncementWatcher announcements, LoadGenerator publisher) throws InterruptedException {
        GroupAnnouncement announced = announcements.await(a -> a.phase() == GroupPhase.KEY_SETUP, PHASE_TIMEOUT);
        long epoch = announced.epoch();
        // each meter signs its epoch key with its identity from the run's throw-away CA (the head-end checks both)
        List<byte[]> signedKeys = new ArrayList<>(meters.size());
        for (BenchMeter m : meters) {
            signedKeys.add(SignedPublicKey.sign(Provisioning.shared().meter(m.id).identity(), group, epoch, m.id, params.name(),
                    Encodings.encode(m.agreementKey.publicKey())).encode());
        }
        context = new GroupContext(group, epoch, meters.size(), params);
        AgreementPublicKey headEndKey = Encodings.decodePublicKey(announced.headEndPublicKey());
        publisher.publishAll(meters.size(), i -> new ParallelPublisher.Outgoing(Topics.publicKey(group, epoch, meters.get(i).id),
                signedKeys.get(i), true));
        await(() -> status(headEnd).publicKeysReceived() == meters.size(), "all public keys at the head-end");
        for (BenchMeter m : meters) {
            byte[] secret = m.agreementKey.sharedSecret(headEndKey);
            m.messageKey = MessageKey.derive(secret, group, epoch, m.id);
            Arrays.fill(secret, (byte) 0);
        }
        return epoch;
    }

    /** Seals and publishes every meter's blinded key (returns once the broker acknowledged them all); returns their bytes. */
    long publishBlindedKeys(LoadGenerator publisher) throws InterruptedException {
        long[] blindedBytes = new long[1];
        publisher.publishAll(meters.size(), i -> {
            byte[] sealed = BlindedKeyMessage.seal(DealerBlindedKeys.unmasked(psaKeys.get(i), meters.get(i).id, context), meters.get(i).messageKey);
            blindedBytes[0] += sealed.length; // publishAll calls this on the calling thread, in order
            return new ParallelPublisher.Outgoing(Topics.blindedKey(group, context.epoch(), meters.get(i).id), sealed, false);
        });
        return blindedBytes[0];
    }

    /** Waits until the head-end announces the epoch ACTIVE (it has combined K), then gives every meter its encryptor. */
    GroupAnnouncement awaitActive(AnnouncementWatcher announcements, long epoch) throws InterruptedException {
        GroupAnnouncement active = announcements.await(a -> a.epoch() == epoch && a.phase() == GroupPhase.ACTIVE, PHASE_TIMEOUT);
        for (int i = 0; i < meters.size(); i++) {
            meters.get(i).encryptor = new PsaEncryptor(psaKeys.get(i), context, Long.MIN_VALUE);
        }
        return active;
    }

    /** What one real meter spends on its part of the pairwise key setup in a group of this size (once per epoch). */
    private Duration timeOneRealBlinding(PsaKey key) {
        SortedMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (BenchMeter m : meters) {
            members.put(new MeterId(m.id), m.agreementKey.publicKey());
        }
        BenchMeter first = meters.get(0);
        long start = System.nanoTime();
        KeySetup.blind(new MeterId(first.id), first.agreementKey, key, new KeySet(context, members));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private GroupStatus status(HeadEnd headEnd) {
        return headEnd.groups().stream().filter(s -> s.group().equals(group)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the head-end does not know group " + group));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Key generation for 10 000 meters draws ~500 MB of randomness; the DRBG is far quicker than /dev/urandom reads. */
    private static SecureRandom fastRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
