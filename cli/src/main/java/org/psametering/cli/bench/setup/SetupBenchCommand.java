package org.psametering.cli.bench.setup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.BlindedKeySum;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.SparseGraphPolicy;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code psa bench setup}: one group's key setup in process (no broker), every simulated meter doing its own work.
 * Signatures are raw Ed25519 (Bouncy Castle, as the production verifier uses): a meter signs its epoch key, and a
 * "certificate" is the CA's Ed25519 signature over (meter id, identity key), so a certificate check costs one Ed25519
 * verification like a cached-anchor certificate check, but no X.509 parsing, validity, role or CRL check. Not
 * measured: identity keys and certificates (long-lived).
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Key setup of one group in process: every meter signs its epoch key, computes its row, verifies each "
                + "neighbour's signed key and certificate, agrees and blinds; the head-end verifies every signed key and "
                + "folds K; checks K against the sum of the keys (exit 1 if not).")
public final class SetupBenchCommand implements Callable<Integer> {
    @Option(names = "--meters", defaultValue = "10000")
    int meters;
    @Option(names = "--graph", defaultValue = "sparse", description = "sparse or complete")
    String graph;
    @Option(names = "--threads", defaultValue = "2")
    int threads;

    private record Identity(byte[] secret, byte[] publicKey, byte[] certificate) {
    }

    @Override
    public Integer call() throws Exception {
        PsaParameters params = PsaParameters.DEFAULT;
        GroupContext group = new GroupContext("bench-setup", 1, meters, params);
        SecureRandom random = new SecureRandom();
        byte[] caSecret = new byte[32];
        byte[] caPublic = new byte[32];
        Ed25519.generatePrivateKey(random, caSecret);
        Ed25519.generatePublicKey(caSecret, 0, caPublic, 0);
        List<MeterId> ids = new ArrayList<>();
        Identity[] identities = new Identity[meters];
        for (int i = 0; i < meters; i++) {
            ids.add(new MeterId(String.format("meter-%05d", i)));
            byte[] sk = new byte[32];
            byte[] pk = new byte[32];
            Ed25519.generatePrivateKey(random, sk);
            Ed25519.generatePublicKey(sk, 0, pk, 0);
            byte[] cert = new byte[64];
            byte[] tbs = certificateBody(ids.get(i), pk);
            Ed25519.sign(caSecret, 0, tbs, 0, tbs.length, cert, 0);
            identities[i] = new Identity(sk, pk, cert);
        }
        boolean sparse = graph.equals("sparse");
        long threshold = sparse ? GraphParameters.DEFAULT.requiredThreshold(meters) : -1L;
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        MaskGraph maskGraph = MaskGraph.of(seed, group.groupId(), group.epoch(), meters, threshold);
        SparseGraphPolicy policy = SparseGraphPolicy.DEFAULT;

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[] meterCpu = new long[meters];
        int[] agreements = new int[meters];
        AgreementKeyPair[] pairs = new AgreementKeyPair[meters];
        PsaKey[] keys = new PsaKey[meters];
        byte[][] signedKeys = new byte[meters][];
        BlindedKey[] blinded = new BlindedKey[meters];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            // 1. every meter: epoch key pair, PSA key, signs its epoch key
            parallel(pool, meters, i -> {
                long c0 = cpu.getCurrentThreadCpuTime();
                pairs[i] = AgreementKeyPair.generate(new SecureRandom());
                keys[i] = PsaKey.generate(params, new SecureRandom());
                byte[] body = signedKeyBody(ids.get(i), group.epoch(), pairs[i].publicKey().bytes());
                byte[] sig = new byte[64];
                Ed25519.sign(identities[i].secret(), 0, body, 0, body.length, sig, 0);
                signedKeys[i] = sig;
                meterCpu[i] += cpu.getCurrentThreadCpuTime() - c0;
            });
            // 2. head-end: verifies every signed key and certificate, builds the key set
            long h0 = System.nanoTime();
            parallel(pool, meters, i -> {
                if (!verifySignedKey(caPublic, identities[i], ids.get(i), group.epoch(), pairs[i].publicKey().bytes(), signedKeys[i])) {
                    throw new IllegalStateException("bad signed key of " + ids.get(i));
                }
            });
            TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
            for (int i = 0; i < meters; i++) {
                members.put(ids.get(i), pairs[i].publicKey());
            }
            KeySet keySet = new KeySet(group, members);
            long headEnd = System.nanoTime() - h0;
            // 3. every meter: its row, checks every neighbour's signed key + certificate, agreements, masks, blind
            parallel(pool, meters, i -> {
                long c0 = cpu.getCurrentThreadCpuTime();
                TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
                int[] row;
                if (sparse) {
                    row = policy.acceptRow(maskGraph, ids, ids.get(i)).stream().mapToInt(m -> Integer.parseInt(m.value().substring(6))).toArray();
                } else {
                    row = new int[meters - 1];
                    for (int j = 0, k = 0; j < meters; j++) {
                        if (j != i) {
                            row[k++] = j;
                        }
                    }
                }
                for (int j : row) {
                    if (!verifySignedKey(caPublic, identities[j], ids.get(j), group.epoch(), pairs[j].publicKey().bytes(), signedKeys[j])) {
                        throw new IllegalStateException("bad signed key of " + ids.get(j));
                    }
                    neighbours.put(ids.get(j), pairs[j].publicKey());
                }
                blinded[i] = KeySetup.blindSparse(ids.get(i), pairs[i], keys[i], group, neighbours, 1, Runnable::run);
                agreements[i] = row.length;
                meterCpu[i] += cpu.getCurrentThreadCpuTime() - c0;
            });
            // 4. head-end folds K
            long f0 = System.nanoTime();
            BlindedKeySum sum = new BlindedKeySum(keySet);
            for (BlindedKey b : blinded) {
                sum.add(b);
            }
            var k = sum.aggregationKey();
            headEnd += System.nanoTime() - f0;
            long wall = System.nanoTime() - start;

            // check: K decrypts a step to exactly the sum of the readings, i.e. K == sum k_i
            List<Ciphertext> cts = new ArrayList<>();
            long expected = 0;
            for (int i = 0; i < meters; i++) {
                long reading = i % 97;
                expected += reading;
                cts.add(new PsaEncryptor(keys[i], group, 0).encrypt(1, reading));
            }
            long got = new PsaAggregator(k, group).aggregate(1, cts);
            Arrays.sort(meterCpu);
            int[] sortedAgreements = agreements.clone();
            Arrays.sort(sortedAgreements);
            System.out.printf("graph=%s meters=%d threads=%d threshold=%s%n", graph, meters, threads, Long.toUnsignedString(threshold));
            System.out.printf("wall, all meters and head-end: %.2f s%n", wall / 1e9);
            System.out.printf("CPU per meter: median %.2f ms, max %.2f ms%n", meterCpu[meters / 2] / 1e6, meterCpu[meters - 1] / 1e6);
            System.out.printf("agreements per meter: median %d, max %d, min %d%n", sortedAgreements[meters / 2],
                    sortedAgreements[meters - 1], sortedAgreements[0]);
            System.out.printf("head-end (verify %d signed keys + certificates, fold K): %.2f s%n", meters, headEnd / 1e9);
            if (got != expected) {
                System.out.println("WRONG: K decrypts to " + got + ", expected " + expected);
                return 1;
            }
            System.out.println("K == sum k_i: checked (aggregate " + got + " == sum of readings)");
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void parallel(ExecutorService pool, int count, IntConsumer work) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> work.accept(index)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    private static boolean verifySignedKey(byte[] caPublic, Identity id, MeterId meter, long epoch, byte[] key, byte[] sig) {
        byte[] tbs = certificateBody(meter, id.publicKey());
        if (!Ed25519.verify(id.certificate(), 0, caPublic, 0, tbs, 0, tbs.length)) {
            return false;
        }
        byte[] body = signedKeyBody(meter, epoch, key);
        return Ed25519.verify(sig, 0, id.publicKey(), 0, body, 0, body.length);
    }

    private static byte[] certificateBody(MeterId meter, byte[] identityKey) {
        byte[] name = ("psa-bench/certificate/" + meter.value()).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(name, name.length + 32);
        System.arraycopy(identityKey, 0, out, name.length, 32);
        return out;
    }

    private static byte[] signedKeyBody(MeterId meter, long epoch, byte[] key) {
        byte[] name = ("psa-bench/signed-key/" + meter.value() + "/" + epoch).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(name, name.length + key.length);
        System.arraycopy(key, 0, out, name.length, key.length);
        return out;
    }
}
