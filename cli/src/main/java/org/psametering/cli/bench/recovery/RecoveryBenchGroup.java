package org.psametering.cli.bench.recovery;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.psametering.cli.bench.ingest.AnnouncementWatcher;
import org.psametering.cli.bench.ingest.ParallelPublisher;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.cli.trust.Provisioning;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.PairwiseSeeds;
import org.psametering.crypto.keysetup.ResidualMask;
import org.psametering.crypto.psa.AggregationKey;
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
 * The benchmark's N meters and their key setup with the real head-end over MQTT, for a run in which the same M meters
 * (the missing set) send nothing in every recovered step.
 *
 * <p>BENCHMARK SHORTCUT (a real pairwise setup is N(N-1) X25519 agreements and mask expansions: hours for N = 10 000 in
 * one process). Every X25519 key pair, the key set, the message keys and the head-end's side of the key setup are
 * real. A real blinded key is {@code b_i = k_i + sum over all other members j of +-mask(i, j)}; here:
 * <ul>
 * <li>a reporting meter i masks with the M missing meters only, with the real masks (X25519, HKDF, expansion; the
 * same seeds its recovery answers use): {@code b_i = k_i - rho_i}, rho_i its residual mask with the missing set. The
 * masks between two reporting meters are left out: they cancel in every sum the head-end forms (K and K').
 * <li>the missing meters carry the opposite, so that all shares still sum to zero: the first gets
 * {@code k_j + sum_i rho_i}, the others {@code k_j}. Only the sum of the missing meters' blinded keys enters a
 * recovery, and it is exactly what a real setup gives for this missing set.
 * </ul>
 * So K, K' = K - sum of the missing blinded keys, the reporting meters' answers and the recovered sums are those of a
 * real setup for this missing set; a recovery with another missing set would not decrypt (the benchmark never asks
 * for one). Holds secrets: nothing here is printed beyond ids and timings.
 */
final class RecoveryBenchGroup {
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(20);
    /** Meters whose blinded keys are computed and published together (bounds memory: a key is 48 KiB). */
    private static final int BATCH = 256;

    /** Timings of the key setup, for the report. */
    record SetupTimes(Duration keyGeneration, Duration publicKeys, Duration blindedKeys, long activeFrom) {
    }

    private final String group;
    private final PsaParameters params;
    private final List<String> ids;
    private final List<MeterId> meterIds;
    private final SortedSet<MeterId> missing;
    private final boolean[] isMissing;
    private final List<PsaKey> psaKeys = new ArrayList<>();
    private final List<AgreementKeyPair> agreementKeys = new ArrayList<>();
    private final MessageKey[] messageKeys;
    private final PsaEncryptor[] encryptors;
    private final PairwiseSeeds[] seeds;
    private final Map<MeterId, BlindedKey> missingBlindedKeys = new HashMap<>();
    private GroupContext context;
    private KeySet keySet;
    private AggregationKey aggregationKey;

    RecoveryBenchGroup(String group, PsaParameters params, List<String> ids, int missingCount) {
        this.group = group;
        this.params = params;
        this.ids = List.copyOf(ids);
        this.meterIds = ids.stream().map(MeterId::new).toList();
        this.isMissing = new boolean[ids.size()];
        TreeSet<MeterId> chosen = new TreeSet<>();
        // spread over the id range, so that missing ids lie below and above the reporting ones (both mask signs)
        for (int k = 0; k < missingCount; k++) {
            int index = (int) ((long) k * ids.size() / missingCount);
            isMissing[index] = true;
            chosen.add(meterIds.get(index));
        }
        this.missing = java.util.Collections.unmodifiableSortedSet(chosen);
        this.messageKeys = new MessageKey[ids.size()];
        this.encryptors = new PsaEncryptor[ids.size()];
        this.seeds = new PairwiseSeeds[ids.size()];
    }

    SetupTimes setUp(HeadEnd headEnd, AnnouncementWatcher announcements, ParallelPublisher publisher) throws InterruptedException {
        SecureRandom random = fastRandom();
        long t0 = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            psaKeys.add(PsaKey.generate(params, random));
            agreementKeys.add(AgreementKeyPair.generate(random));
        }
        long t1 = System.nanoTime();

        GroupAnnouncement announced = announcements.await(a -> a.phase() == GroupPhase.KEY_SETUP, PHASE_TIMEOUT);
        long epoch = announced.epoch();
        context = new GroupContext(group, epoch, ids.size(), params);
        AgreementPublicKey headEndKey = Encodings.decodePublicKey(announced.headEndPublicKey());
        // each meter signs its epoch key with its identity from the run's throw-away CA (the head-end checks both)
        List<byte[]> signedKeys = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            signedKeys.add(SignedPublicKey.sign(Provisioning.shared().meter(ids.get(i)).identity(), group, epoch, ids.get(i),
                    params.name(), Encodings.encode(agreementKeys.get(i).publicKey())).encode());
        }
        publisher.publishAll(ids.size(), i -> new ParallelPublisher.Outgoing(Topics.publicKey(group, epoch, ids.get(i)),
                signedKeys.get(i), true));
        await(() -> status(headEnd).publicKeysReceived() == ids.size(), "all public keys at the head-end");
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            members.put(meterIds.get(i), agreementKeys.get(i).publicKey());
        }
        keySet = new KeySet(context, members);
        long t2 = System.nanoTime();

        IntStream.range(0, ids.size()).parallel().forEach(i -> {
            byte[] secret = agreementKeys.get(i).sharedSecret(headEndKey);
            messageKeys[i] = MessageKey.derive(secret, group, epoch, ids.get(i));
            Arrays.fill(secret, (byte) 0);
        });
        ZqVector residualSum = ZqVector.zero(params.n());
        ZqVector keySum = ZqVector.zero(params.n());
        List<Integer> reporting = IntStream.range(0, ids.size()).filter(i -> !isMissing[i]).boxed().toList();
        for (int from = 0; from < reporting.size(); from += BATCH) {
            List<Integer> batch = reporting.subList(from, Math.min(reporting.size(), from + BATCH));
            byte[][] payloads = new byte[batch.size()][];
            IntStream.range(0, batch.size()).parallel().forEach(b -> {
                int i = batch.get(b);
                seeds[i] = PairwiseSeeds.derive(meterIds.get(i), agreementKeys.get(i), keySet, missing);
                ResidualMask rho = KeySetup.residualMask(seeds[i], missing);
                ZqVector rhoVector = SecretAccess.residualMasks().vector(rho);
                ZqVector blinded = SecretAccess.psaKeys().vector(psaKeys.get(i)).copy();
                blinded.subtract(rhoVector);
                synchronized (residualSum) {
                    residualSum.add(rhoVector);
                    keySum.add(SecretAccess.psaKeys().vector(psaKeys.get(i)));
                }
                rho.wipe();
                BlindedKey key = SecretAccess.blindedKeys().create(meterIds.get(i), context, blinded);
                payloads[b] = BlindedKeyMessage.seal(Encodings.encode(key), messageKeys[i]);
            });
            publisher.publishAll(batch.size(), b -> new ParallelPublisher.Outgoing(
                    Topics.blindedKey(group, epoch, ids.get(batch.get(b))), payloads[b], false));
        }
        boolean first = true;
        List<ParallelPublisher.Outgoing> missingKeys = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!isMissing[i]) {
                continue;
            }
            ZqVector blinded = SecretAccess.psaKeys().vector(psaKeys.get(i)).copy();
            keySum.add(SecretAccess.psaKeys().vector(psaKeys.get(i)));
            if (first) {
                blinded.add(residualSum); // all shares sum to zero
                first = false;
            }
            BlindedKey key = SecretAccess.blindedKeys().create(meterIds.get(i), context, blinded);
            missingBlindedKeys.put(meterIds.get(i), key);
            missingKeys.add(new ParallelPublisher.Outgoing(Topics.blindedKey(group, epoch, ids.get(i)),
                    BlindedKeyMessage.seal(Encodings.encode(key), messageKeys[i]), false));
        }
        residualSum.wipe();
        publisher.publishAll(missingKeys);
        aggregationKey = SecretAccess.aggregationKeys().create(params, keySum);
        GroupAnnouncement active = announcements.await(a -> a.epoch() == epoch && a.phase() == GroupPhase.ACTIVE, PHASE_TIMEOUT);
        long t3 = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            encryptors[i] = new PsaEncryptor(psaKeys.get(i), context, Long.MIN_VALUE);
        }
        return new SetupTimes(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2),
                active.activeFromLabel().orElseThrow());
    }

    String group() {
        return group;
    }

    GroupContext context() {
        return context;
    }

    KeySet keySet() {
        return keySet;
    }

    int size() {
        return ids.size();
    }

    String id(int index) {
        return ids.get(index);
    }

    MeterId meterId(int index) {
        return meterIds.get(index);
    }

    boolean isMissing(int index) {
        return isMissing[index];
    }

    SortedSet<MeterId> missing() {
        return missing;
    }

    List<String> missingIds() {
        return missing.stream().map(MeterId::value).toList();
    }

    PsaEncryptor encryptor(int index) {
        return encryptors[index];
    }

    MessageKey messageKey(int index) {
        return messageKeys[index];
    }

    /** Reporting meters only: their seeds with the missing meters. */
    PairwiseSeeds seeds(int index) {
        if (seeds[index] == null) {
            throw new IllegalArgumentException("meter " + ids.get(index) + " is in the missing set: it never answers");
        }
        return seeds[index];
    }

    Map<MeterId, BlindedKey> missingBlindedKeys() {
        return missingBlindedKeys;
    }

    AggregationKey aggregationKey() {
        return aggregationKey;
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
