package org.psametering.cli.bench.ingest.groups;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.psametering.cli.bench.ingest.ParallelPublisher;
import org.psametering.cli.trust.Provisioning;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * The real pairwise key setup of every simulated group with the head-end over MQTT, as each meter runs it: an X25519
 * epoch key signed with the meter's certificate from the run's throw-away CA, published retained; the head-end's
 * signed key set checked (every member's signature and certificate, no key twice, this meter's own key, the group's
 * size); each meter's blinded key {@code k_i + sum of +-mask(i, j)} over all other members (M-1 X25519 agreements
 * and mask expansions, {@link KeySetup#blind}), sealed with its message key and published. Groups run in parallel
 * on a pool of all cores; a group's meters one after another on one thread.
 *
 * <p>Shortcuts, for 100 000 meters in one process: the announcement and the key set are checked once per group, not
 * once per member (every member checks the same bytes against the same CA and would reach the same verdict; only
 * the own-key check differs per meter and is done per meter); a meter's PSA key is drawn from a seed it keeps (see
 * {@link SeededPsaKeys}).
 */
final class FleetKeySetup {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(60);

    /** Key-setup timings: public keys until every key set was out, then until every group was ACTIVE. */
    record Times(Duration publicKeys, Duration blindedKeys, long activeFrom) {
        Duration total() {
            return publicKeys.plus(blindedKeys);
        }
    }

    private final List<FleetGroup> groups;
    private final PsaParameters params;
    private final FleetObserver observer;
    private final ParallelPublisher publisher;
    private final ExecutorService pool;
    private final PrintStream out;
    private final IdentityVerifier verifier = Provisioning.shared().verifier(java.time.Clock.systemUTC());

    FleetKeySetup(List<FleetGroup> groups, PsaParameters params, FleetObserver observer, ParallelPublisher publisher,
                  ExecutorService pool, PrintStream out) {
        this.groups = groups;
        this.params = params;
        this.observer = observer;
        this.publisher = publisher;
        this.pool = pool;
        this.out = out;
    }

    Times run() throws InterruptedException {
        long t0 = System.nanoTime();
        Progress published = new Progress("public keys published", groups.size());
        forEachGroup(g -> publishPublicKeys(g, published));
        if (!observer.await(() -> groups.stream().allMatch(g -> observer.keySet(g.id, g.epoch) != null), PHASE_TIMEOUT)) {
            throw new IllegalStateException("not every group's key set arrived within " + PHASE_TIMEOUT);
        }
        long t1 = System.nanoTime();
        out.printf("  every group's key set is out: %.1f s%n", (t1 - t0) / 1e9);
        Progress blinded = new Progress("blinded keys published", groups.size());
        forEachGroup(g -> publishBlindedKeys(g, blinded));
        long activeFrom = awaitActive();
        long t2 = System.nanoTime();
        return new Times(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), activeFrom);
    }

    private void publishPublicKeys(FleetGroup group, Progress progress) throws InterruptedException {
        GroupAnnouncement announced = awaitAnnouncement(group, a -> a.phase() == GroupPhase.KEY_SETUP);
        if (!announced.members().equals(group.meters) || announced.members().size() < MultiGroupSettings.MIN_GROUP) {
            throw new IllegalStateException("group " + group.id + " announces other members than configured");
        }
        group.epoch = announced.epoch();
        group.context = new GroupContext(group.id, group.epoch, group.size(), params);
        group.headEndKey = announced.headEndPublicKey();
        SecureRandom random = new SecureRandom();
        group.agreementKeys = new AgreementKeyPair[group.size()];
        List<ParallelPublisher.Outgoing> keys = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            String meter = group.meters.get(i);
            byte[] seed = new byte[SeededPsaKeys.SEED_BYTES];
            random.nextBytes(seed);
            group.keySeeds[i] = seed;
            group.agreementKeys[i] = AgreementKeyPair.generate(random);
            byte[] signed = SignedPublicKey.sign(Provisioning.shared().meter(meter).identity(), group.id, group.epoch, meter,
                    params.name(), Encodings.encode(group.agreementKeys[i].publicKey())).encode();
            keys.add(new ParallelPublisher.Outgoing(Topics.publicKey(group.id, group.epoch, meter), signed, true));
        }
        publisher.publishAll(keys);
        progress.done(out);
    }

    private void publishBlindedKeys(FleetGroup group, Progress progress) throws InterruptedException {
        KeySet keySet = verifiedKeySet(group);
        AgreementPublicKey headEndKey = Encodings.decodePublicKey(group.headEndKey);
        List<ParallelPublisher.Outgoing> blinded = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            String meter = group.meters.get(i);
            AgreementKeyPair mine = group.agreementKeys[i];
            if (!keySet.publicKeyOf(new MeterId(meter)).equals(mine.publicKey())) {
                throw new IllegalStateException("meter " + meter + ": the key set carries a key that is not the one it published");
            }
            byte[] secret = mine.sharedSecret(headEndKey);
            group.messageKeys[i] = MessageKey.derive(secret, group.id, group.epoch, meter);
            Arrays.fill(secret, (byte) 0);
            PsaKey key = SeededPsaKeys.key(params, group.keySeeds[i]);
            byte[] encoding = Encodings.encode(KeySetup.blind(new MeterId(meter), mine, key, keySet));
            blinded.add(new ParallelPublisher.Outgoing(Topics.blindedKey(group.id, group.epoch, meter),
                    BlindedKeyMessage.seal(encoding, group.messageKeys[i]), false));
        }
        group.agreementKeys = null; // done with this epoch's key setup
        publisher.publishAll(blinded);
        progress.done(out);
    }

    /** What every member checks before it derives a single mask from the key set (meter's KeySetVerifier). */
    private KeySet verifiedKeySet(FleetGroup group) {
        byte[] body = SignedMessage.parse(observer.keySet(group.id, group.epoch))
                .open(SignedMessage.Kind.KEY_SET, verifier, ThrowawayPki.HEAD_END_NAME);
        KeySetMessage message = KeySetMessage.fromJson(body);
        if (!message.group().equals(group.id) || message.epoch() != group.epoch || !message.params().equals(params.name())
                || !message.members().equals(group.meters) || message.members().size() < MultiGroupSettings.MIN_GROUP) {
            throw new IllegalStateException("key set of " + group.id + "/" + group.epoch + " does not match its announcement");
        }
        Set<ByteBuffer> distinct = new HashSet<>();
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (String member : message.members()) {
            SignedPublicKey signed = SignedPublicKey.parse(message.signedKey(member));
            signed.verify(verifier, group.id, group.epoch, member, params.name());
            if (!distinct.add(ByteBuffer.wrap(signed.keyEncoding()))) {
                throw new IllegalStateException("key set of " + group.id + " carries one key twice");
            }
            members.put(new MeterId(member), Encodings.decodePublicKey(signed.keyEncoding()));
        }
        return new KeySet(group.context, members);
    }

    private long awaitActive() throws InterruptedException {
        long until = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        Map<FleetGroup, byte[]> checked = new IdentityHashMap<>();
        List<FleetGroup> waiting = new ArrayList<>(groups);
        while (!waiting.isEmpty()) {
            for (var it = waiting.iterator(); it.hasNext(); ) {
                FleetGroup g = it.next();
                byte[] raw = observer.announcement(g.id);
                if (raw == null || raw == checked.get(g)) {
                    continue;
                }
                checked.put(g, raw);
                GroupAnnouncement a = open(raw);
                if (a.epoch() == g.epoch && a.phase() == GroupPhase.ACTIVE) {
                    g.activeFrom = a.activeFromLabel().orElseThrow();
                    it.remove();
                }
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException(waiting.size() + " groups not ACTIVE within " + PHASE_TIMEOUT + ", e.g. " + waiting.get(0));
            }
            Thread.sleep(50);
        }
        long first = groups.get(0).activeFrom;
        if (groups.stream().anyMatch(g -> g.activeFrom != first)) {
            throw new IllegalStateException("groups became active from different labels (the clock moved during key setup)");
        }
        return first;
    }

    private GroupAnnouncement awaitAnnouncement(FleetGroup group, java.util.function.Predicate<GroupAnnouncement> wanted)
            throws InterruptedException {
        GroupAnnouncement[] seen = new GroupAnnouncement[1];
        boolean ok = observer.await(() -> {
            byte[] raw = observer.announcement(group.id);
            if (raw == null) {
                return false;
            }
            seen[0] = open(raw);
            return wanted.test(seen[0]);
        }, PHASE_TIMEOUT);
        if (!ok) {
            throw new IllegalStateException("group " + group.id + ": no announcement in the expected phase (last " + seen[0] + ")");
        }
        return seen[0];
    }

    /** Checked as a meter checks it: the head-end's signature under the run's CA. */
    private GroupAnnouncement open(byte[] raw) {
        return GroupAnnouncement.fromJson(SignedMessage.parse(raw).open(SignedMessage.Kind.ANNOUNCEMENT, verifier,
                ThrowawayPki.HEAD_END_NAME));
    }

    private interface GroupTask {
        void run(FleetGroup group) throws InterruptedException;
    }

    private void forEachGroup(GroupTask task) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>(groups.size());
        for (FleetGroup g : groups) {
            futures.add(pool.submit(() -> {
                task.run(g);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                futures.forEach(other -> other.cancel(true));
                throw new IllegalStateException("key setup failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Prints a line at every tenth of the groups, so a long setup shows it is moving. */
    private static final class Progress {
        private final String what;
        private final int total;
        private final AtomicInteger done = new AtomicInteger();
        private final long start = System.nanoTime();

        Progress(String what, int total) {
            this.what = what;
            this.total = total;
        }

        void done(PrintStream out) {
            int n = done.incrementAndGet();
            int step = Math.max(1, total / 10);
            if (n % step == 0 || n == total) {
                out.printf("    %s: %d of %d groups, %.1f s%n", what, n, total, (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
