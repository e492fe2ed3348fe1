package org.psametering.cli.bench.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
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
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;

/**
 * A meter's key setup with and without checking the members' signed keys, side by side in one run (issue 10: at most
 * 1.5x). {@code unsigned}: decode N bare X25519 keys and blind (the setup before signatures). {@code signedColdCache}:
 * the same after parsing N signed frames and verifying N certificates and N signatures with a fresh certificate cache
 * (a meter's first epoch). {@code signedWarmCache}: with the certificates already cached (every later epoch of the
 * same members): N signatures only. The verification loop is the one of the meter's KeySetVerifier (parse, verify,
 * duplicate-key set). Run with {@code ./psa bench crypto SignedKeySetup}; SampleTime reports the median (p0.50).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SignedKeySetupBenchmark {

    @Param({"lwr-3072-q128-p85-rec"})
    public String params;

    @Param({"1000"})
    public int groupSize;

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
        warm = pki.verifier(Clock.systemUTC());
        verifyAll(warm); // fills the certificate cache once
    }

    @Benchmark
    public BlindedKey unsigned() {
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        bareKeys.forEach((id, encoding) -> members.put(new MeterId(id), Encodings.decodePublicKey(encoding)));
        return KeySetup.blind(self, mine, key, new KeySet(group, members));
    }

    @Benchmark
    public BlindedKey signedColdCache() {
        return KeySetup.blind(self, mine, key, new KeySet(group, verifyAll(pki.verifier(Clock.systemUTC()))));
    }

    @Benchmark
    public BlindedKey signedWarmCache() {
        return KeySetup.blind(self, mine, key, new KeySet(group, verifyAll(warm)));
    }

    private TreeMap<MeterId, AgreementPublicKey> verifyAll(IdentityVerifier verifier) {
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        Set<ByteBuffer> seen = new HashSet<>();
        signedKeys.forEach((id, frame) -> {
            SignedPublicKey signed = SignedPublicKey.parse(frame);
            signed.verify(verifier, GROUP, EPOCH, id, params);
            byte[] encoding = signed.keyEncoding();
            if (!seen.add(ByteBuffer.wrap(encoding))) {
                throw new IllegalStateException("duplicate key");
            }
            members.put(new MeterId(id), Encodings.decodePublicKey(encoding));
        });
        return members;
    }
}
