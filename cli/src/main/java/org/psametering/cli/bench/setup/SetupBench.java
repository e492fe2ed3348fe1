package org.psametering.cli.bench.setup;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.BlindedKeySum;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MaskGraph;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.NeighbourKeys;
import org.psametering.crypto.keysetup.SparseKeySetup;
import org.psametering.headend.core.SparseGraphDraw;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * {@code psa bench setup}: see {@link SetupBenchCommand}. Provisioning (certificates for every meter, the throw-away
 * CA) comes first and is not measured; everything after it is, phase by phase.
 */
final class SetupBench {

    private static final String GROUP = "bench-setup";
    private static final long EPOCH = 1;
    private static final long LABEL = 1;

    /**
     * Each simulated meter's PSA key (48 KiB) comes from its thread's DRBG (the JDK's Hash_DRBG, SHA-256, NIST SP
     * 800-90A, seeded from the system's entropy source when created), not from a fresh {@code new SecureRandom()}:
     * on Linux that is NativePRNG, which mixes /dev/urandom with a SHA1PRNG and cost about 0.7 ms per key, more than
     * a tenth of a meter's non-agreement work. A DRBG's output is computationally indistinguishable from random to
     * anyone without its internal state, so keys drawn one after the other from it are as good as independent ones;
     * a real meter has its own generator anyway, this only spares the simulation an expensive construction.
     */
    private static final ThreadLocal<SecureRandom> KEY_RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks its DRBG", e);
        }
    });

    private final int n;
    private final boolean sparse;
    private final int threads;
    private final boolean cold;
    private final PsaParameters params;
    private final PrintStream out;

    SetupBench(int n, boolean sparse, int threads, boolean cold, String params, PrintStream out) {
        this.n = n;
        this.sparse = sparse;
        this.threads = threads;
        this.cold = cold;
        this.params = PsaParameters.byName(params);
        this.out = out;
    }

    boolean run() throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SecureRandom random = new SecureRandom();
        out.printf("bench setup: %d meters, %s graph, %s certificate cache, %d threads, %s; in-process, no broker%n", n,
                sparse ? "sparse" : "complete", cold ? "cold" : "warm", threads, params.name());
        ThrowawayPki pki = ThrowawayPki.create(random);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(String.format("meter-%06d", i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            parallel(pool, i -> pki.meter(ids.get(i))); // provisioning: not measured
            IdentityVerifier warm = pki.verifier(Clock.systemUTC());
            GroupContext group = new GroupContext(GROUP, EPOCH, n, params);
            long start = System.nanoTime();

            // 1. every meter: epoch key pair, signed with its identity
            long[] meterCpu = new long[n];
            AgreementKeyPair[] pairs = new AgreementKeyPair[n];
            byte[][] signed = new byte[n][];
            parallel(pool, i -> {
                long c0 = cpu.getCurrentThreadCpuTime();
                pairs[i] = AgreementKeyPair.generate(new SecureRandom());
                signed[i] = SignedPublicKey.sign(pki.meter(ids.get(i)).identity(), GROUP, EPOCH, ids.get(i), params.name(),
                        Encodings.encode(pairs[i].publicKey())).encode();
                meterCpu[i] += cpu.getCurrentThreadCpuTime() - c0;
                return null;
            });
            long afterKeys = System.nanoTime();

            // 2. head-end: verify every signed key (its certificates are new to it), announce, build key sets
            long h0 = System.nanoTime();
            IdentityVerifier headEndVerifier = pki.verifier(Clock.systemUTC());
            parallel(pool, i -> {
                SignedPublicKey.parse(signed[i]).verify(headEndVerifier, GROUP, EPOCH, ids.get(i), params.name());
                return null;
            });
            TreeMap<MeterId, AgreementPublicKey> all = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                all.put(new MeterId(ids.get(i)), pairs[i].publicKey());
            }
            KeySet keySet = new KeySet(group, all);
            GraphParameters graphParameters = GraphParameters.DEFAULT;
            // the head-end's own draw: it redraws (at most 16 times) while a row is below the meters' minimum, which
            // at small N (the test's 80) happens often enough that one fixed draw made the bench fail now and then
            Optional<SparseGraphDraw.Drawn> drawn = sparse
                    ? Optional.of(SparseGraphDraw.draw(GROUP, EPOCH, n, graphParameters, random)) : Optional.empty();
            Optional<GraphSpec> spec = drawn.map(SparseGraphDraw.Drawn::spec);
            GroupAnnouncement announcement = new GroupAnnouncement(GROUP, EPOCH, params.name(), 900, ids,
                    Encodings.encode(pairs[0].publicKey()), GroupPhase.KEY_SETUP, OptionalLong.empty(), spec);
            byte[] signedAnnouncement = SignedMessage.sign(pki.headEnd().identity(), SignedMessage.Kind.ANNOUNCEMENT,
                    announcement.toJson()).encode();
            int[][] rows = new int[n][];
            if (sparse) {
                // the per-meter key set: the signed keys of rows[i]; every pair evaluated once for all rows (by the draw)
                System.arraycopy(drawn.get().rows(), 0, rows, 0, n);
            }
            long headEndKeySets = System.nanoTime() - h0;

            // 3. every meter: announcement, row, neighbours' signed keys, agreements, masks, blind, one ciphertext
            BlindedKeySum sum = new BlindedKeySum(keySet);
            Ciphertext[] cts = new Ciphertext[n];
            int[] agreements = new int[n];
            long[] headEndFold = new long[1];
            parallel(pool, i -> {
                long c0 = cpu.getCurrentThreadCpuTime();
                IdentityVerifier verifier = cold ? pki.verifier(Clock.systemUTC()) : warm;
                GroupAnnouncement a = GroupAnnouncement.fromJson(SignedMessage.parse(signedAnnouncement)
                        .open(SignedMessage.Kind.ANNOUNCEMENT, verifier, ThrowawayPki.HEAD_END_NAME));
                int[] row;
                if (a.sparse()) {
                    if (Long.compareUnsigned(a.maskGraph().get().threshold(), graphParameters.requiredThreshold(n)) < 0) {
                        throw new IllegalStateException("graph too weak");
                    }
                    row = MaskGraph.of(a.maskGraph().get(), GROUP, EPOCH, n).row(i);
                    if (!Arrays.equals(row, rows[i]) || row.length < graphParameters.minimumRowSize()) {
                        throw new IllegalStateException("row of " + ids.get(i) + " differs or is too small");
                    }
                } else {
                    row = null;
                }
                TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
                int count = row != null ? row.length : n;
                for (int k = 0; k < count; k++) {
                    int j = row != null ? row[k] : k;
                    if (j == i) {
                        continue;
                    }
                    SignedPublicKey key = SignedPublicKey.parse(signed[j]);
                    key.verify(verifier, GROUP, EPOCH, ids.get(j), params.name());
                    neighbours.put(new MeterId(ids.get(j)), Encodings.decodePublicKey(key.keyEncoding()));
                }
                PsaKey psaKey = PsaKey.generate(params, KEY_RANDOM.get());
                MeterId self = new MeterId(ids.get(i));
                BlindedKey blinded;
                if (row != null) {
                    blinded = SparseKeySetup.blind(self, pairs[i], psaKey, new NeighbourKeys(group, self,
                            pairs[i].publicKey(), neighbours), 1, Runnable::run);
                } else {
                    neighbours.put(self, pairs[i].publicKey());
                    blinded = KeySetup.blind(self, pairs[i], psaKey, new KeySet(group, neighbours));
                }
                agreements[i] = neighbours.size() - (row == null ? 1 : 0);
                cts[i] = new PsaEncryptor(psaKey, group, Long.MIN_VALUE).encrypt(LABEL, reading(i));
                meterCpu[i] += cpu.getCurrentThreadCpuTime() - c0;
                long f0 = System.nanoTime();
                synchronized (sum) {
                    sum.add(blinded); // the head-end folds each blinded key as it arrives
                    headEndFold[0] += System.nanoTime() - f0;
                }
                return null;
            });
            long end = System.nanoTime();

            long expected = 0;
            for (int i = 0; i < n; i++) {
                expected += reading(i);
            }
            long aggregate = new PsaAggregator(sum.aggregationKey(), group).aggregate(LABEL, Arrays.asList(cts));
            long[] cpuSorted = meterCpu.clone();
            Arrays.sort(cpuSorted);
            int[] agreementsSorted = agreements.clone();
            Arrays.sort(agreementsSorted);
            out.printf("wall, all meters and head-end: %.1f s (keys %.1f s, head-end key sets %.1f s, blinding %.1f s)%n",
                    (end - start) / 1e9, (afterKeys - start) / 1e9, headEndKeySets / 1e9, (end - afterKeys - headEndKeySets) / 1e9);
            out.printf("per meter CPU: median %.1f ms, max %.1f ms; agreements per meter: median %d, max %d, min %d%n",
                    cpuSorted[n / 2] / 1e6, cpuSorted[n - 1] / 1e6, agreementsSorted[n / 2], agreementsSorted[n - 1],
                    agreementsSorted[0]);
            out.printf("head-end: verify %d signed keys + key sets %.1f s wall, fold %d blinded keys %.1f s%n", n,
                    headEndKeySets / 1e9, n, headEndFold[0] / 1e9);
            floor(cpu, pairs, signed, ids, warm, agreementsSorted);
            if (aggregate != expected) {
                out.printf("FAILED: WRONG aggregate under K: %d, expected %d (K != sum k_i)%n", aggregate, expected);
                return false;
            }
            out.printf("check: aggregate under K = sum of the readings = %d (K = sum k_i)%n", expected);
            return true;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * After the run, on one thread with the JIT warm: the two per-neighbour operations no implementation detail can
     * skip, a neighbour's signed-key check (Ed25519 under the cached certificate's key) and one X25519 agreement,
     * and what they alone cost the group: the sum of all rows' agreements times both, over the threads. Printed so a
     * run shows how far its wall time is above that floor on this machine.
     */
    private void floor(ThreadMXBean cpu, AgreementKeyPair[] pairs, byte[][] signed, List<String> ids,
                       IdentityVerifier verifier, int[] agreements) {
        int samples = Math.min(n - 1, 2000);
        long c0 = cpu.getCurrentThreadCpuTime();
        for (int k = 1; k <= samples; k++) {
            SignedPublicKey.parse(signed[k]).verify(verifier, GROUP, EPOCH, ids.get(k), params.name());
        }
        long c1 = cpu.getCurrentThreadCpuTime();
        for (int k = 1; k <= samples; k++) {
            Arrays.fill(pairs[0].sharedSecret(pairs[k].publicKey()), (byte) 0);
        }
        long c2 = cpu.getCurrentThreadCpuTime();
        double verify = (c1 - c0) / 1e3 / samples;
        double agree = (c2 - c1) / 1e3 / samples;
        long total = 0;
        for (int a : agreements) {
            total += a;
        }
        out.printf("floor: signed-key check %.1f us + X25519 %.1f us per neighbour (CPU, one thread); %d agreements "
                + "-> %.1f s on %d threads for these two alone%n", verify, agree, total,
                total * (verify + agree) / 1e6 / threads, threads);
    }

    private static long reading(int i) {
        return 1000 + (i * 7919L) % 10_000;
    }

    private void parallel(ExecutorService pool, IntFunction<Object> task) throws Exception {
        List<Future<?>> futures = new ArrayList<>(threads);
        int chunk = (n + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * chunk;
            int to = Math.min(n, from + chunk);
            futures.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    task.apply(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }
}
