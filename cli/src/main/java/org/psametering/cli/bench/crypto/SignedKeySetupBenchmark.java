package org.psametering.cli.bench.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.agent.KeySetupPool;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;
import org.psametering.protocol.trust.VerifyingKey;

/**
 * A meter's key setup with and without checking the members' signed keys, side by side in one run (issue 10: at most
 * 1.5x). {@code unsignedParallel} and {@code signedWarmCacheParallel} do the same work on {@code threads} threads (the
 * meter's KeySetupPool, {@code trust.keySetupThreads}), so both ratios can be read: single-thread and parallel. {@code unsigned}: decode N bare X25519 keys and blind (the setup before signatures). {@code signedColdCache}:
 * the same after parsing N signed frames and verifying N certificates and N signatures with a fresh certificate cache
 * (a meter's first epoch). {@code signedWarmCache}: with the certificates already cached (every later epoch of the
 * same members): N signatures only. The verification loop is the one of the meter's KeySetVerifier (parse, verify,
 * duplicate-key set), on one thread or, in {@code signedWarmCacheParallel}, on the meter's signature check pool. Run with {@code ./psa bench crypto SignedKeySetup}; SampleTime reports the median (p0.50).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SignedKeySetupBenchmark {

    @Param({"lwr-3072-q128-p85-rec"})
    public String params;

    @Param({"1000"})
    public int groupSize;

    /** Threads of the parallel variants (0 = the available processors, the meter's default). */
    @Param({"0"})
    public int threads;

    private static final String GROUP = "bench";
    private static final long EPOCH = 1;

    private ThrowawayPki pki;
    private GroupContext group;
    private MeterId self;
    private AgreementKeyPair mine;
    private PsaKey key;
    private TreeMap<String, byte[]> bareKeys;
    private TreeMap<String, byte[]> signedKeys;
    private IdentityVerifier warm;
    private KeySetupPool single;
    private KeySetupPool parallel;

    @Setup
    public void setUp() {
        PsaParameters p = PsaParameters.byName(params);
        group = new GroupContext(GROUP, EPOCH, groupSize, p);
        SecureRandom random = new SecureRandom();
        pki = ThrowawayPki.create(random);
        bareKeys = new TreeMap<>();
        signedKeys = new TreeMap<>();
        for (int i = 0; i < groupSize; i++) {
            AgreementKeyPair pair = AgreementKeyPair.generate(random);
            String id = String.format("meter-%06d", i);
            byte[] encoding = Encodings.encode(pair.publicKey());
            bareKeys.put(id, encoding);
            signedKeys.put(id, SignedPublicKey.sign(pki.meter(id).identity(), GROUP, EPOCH, id, p.name(), encoding).encode());
            if (i == groupSize / 2) {
                self = new MeterId(id);
                mine = pair;
            }
        }
        key = PsaKey.generate(p, random);
        single = new KeySetupPool(1);
        parallel = new KeySetupPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        warm = pki.verifier(Clock.systemUTC());
        verifyAll(warm, single); // fills the certificate cache once
        ids = List.copyOf(signedKeys.keySet());
        floorKeys = new VerifyingKey[groupSize];
        floorMessages = new byte[groupSize][];
        floorSignatures = new byte[groupSize][];
        for (int i = 0; i < groupSize; i++) {
            String id = ids.get(i);
            SignedPublicKey signed = SignedPublicKey.parse(signedKeys.get(id));
            byte[] frame = signedKeys.get(id);
            floorKeys[i] = warm.meterKey(signed.certificate(), id);
            floorMessages[i] = SignedPublicKey.signedBytes(GROUP, EPOCH, id, params, signed.keyEncoding());
            floorSignatures[i] = Arrays.copyOfRange(frame, frame.length - 64, frame.length);
        }
    }

    private VerifyingKey[] floorKeys;
    private byte[][] floorMessages;
    private byte[][] floorSignatures;

    /**
     * The floor of the signed variants' extra cost: only the N Ed25519 verifications (keys already decoded, signed bytes
     * already built), no parsing, no certificate lookup, no key setup. signedWarmCache - unsigned ~ this means nothing but
     * the verification itself is left to remove.
     */
    @Benchmark
    public int ed25519VerifyOnly() {
        int valid = 0;
        for (int i = 0; i < floorKeys.length; i++) {
            if (floorKeys[i].verify(floorMessages[i], floorSignatures[i])) {
                valid++;
            }
        }
        if (valid != floorKeys.length) {
            throw new IllegalStateException("a signature did not verify");
        }
        return valid;
    }

    @Benchmark
    public BlindedKey unsigned() {
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        bareKeys.forEach((id, encoding) -> members.put(new MeterId(id), Encodings.decodePublicKey(encoding)));
        return KeySetup.blind(self, mine, key, new KeySet(group, members));
    }

    @Benchmark
    public BlindedKey signedColdCache() {
        return KeySetup.blind(self, mine, key, new KeySet(group, verifyAll(pki.verifier(Clock.systemUTC()), single)));
    }

    @Benchmark
    public BlindedKey signedWarmCache() {
        return KeySetup.blind(self, mine, key, new KeySet(group, verifyAll(warm, single)));
    }

    /** As {@code unsigned}, the agreements and masks on {@code threads} threads (KeySetup.blind in slices). */
    @Benchmark
    public BlindedKey unsignedParallel() {
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        bareKeys.forEach((id, encoding) -> members.put(new MeterId(id), Encodings.decodePublicKey(encoding)));
        return KeySetup.blind(self, mine, key, new KeySet(group, members), parallel.parallelism(), parallel.executor());
    }

    /**
     * What the meter does: as {@code signedWarmCache}, the signatures checked on {@code threads} threads and then, only
     * if all passed, the agreements and masks on the same threads.
     */
    @Benchmark
    public BlindedKey signedWarmCacheParallel() {
        return KeySetup.blind(self, mine, key, new KeySet(group, verifyAll(warm, parallel)), parallel.parallelism(), parallel.executor());
    }

    private List<String> ids;

    /** The meter's KeySetVerifier loop: every member checked (on the pool) before a key is used, then duplicates. */
    private TreeMap<MeterId, AgreementPublicKey> verifyAll(IdentityVerifier verifier, KeySetupPool pool) {
        List<String> members = ids != null ? ids : List.copyOf(signedKeys.keySet());
        byte[][] encodings = new byte[members.size()][];
        RuntimeException failure = pool.firstFailure(members.size(), i -> {
            try {
                SignedPublicKey signed = SignedPublicKey.parse(signedKeys.get(members.get(i)));
                signed.verify(verifier, GROUP, EPOCH, members.get(i), params);
                encodings[i] = signed.keyEncoding();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        if (failure != null) {
            throw failure;
        }
        TreeMap<MeterId, AgreementPublicKey> keys = new TreeMap<>();
        Set<ByteBuffer> seen = new HashSet<>();
        for (int i = 0; i < encodings.length; i++) {
            if (!seen.add(ByteBuffer.wrap(encodings[i]))) {
                throw new IllegalStateException("duplicate key");
            }
            keys.put(new MeterId(members.get(i)), Encodings.decodePublicKey(encodings[i]));
        }
        return keys;
    }
}
