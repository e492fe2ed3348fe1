package org.psametering.cli.bench.dmcfe;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.dmcfe.DmcfeCiphertext;
import org.psametering.crypto.dmcfe.DmcfeClientSecret;
import org.psametering.crypto.dmcfe.DmcfeEncryptor;
import org.psametering.crypto.dmcfe.DmcfeGroup;
import org.psametering.crypto.dmcfe.DmcfeKeySetup;
import org.psametering.crypto.dmcfe.DmcfeKeyShare;
import org.psametering.crypto.dmcfe.DmcfeKeyShares;
import org.psametering.crypto.keysetup.AgreementKeyPair;

/** What one DMCFE client (meter) pays: encrypting a reading (every label) and deriving its key share (once). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DmcfeClientBenchmark {

    private DmcfeClientSecret secret;
    private DmcfeEncryptor encryptor;
    private long label;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        DmcfeGroup group = DmcfeGroup.onBls12381("bench", 2, 100_000_000L);
        List<AgreementKeyPair> pairs = List.of(AgreementKeyPair.generate(random), AgreementKeyPair.generate(random));
        secret = DmcfeKeySetup.setup(group, 0, other -> pairs.get(0).sharedSecret(pairs.get(other).publicKey()), random);
        encryptor = new DmcfeEncryptor(secret, Long.MIN_VALUE);
    }

    /** One reading under a fresh label: two hash-to-G1 and three G1 scalar multiplications. */
    @Benchmark
    public DmcfeCiphertext encrypt() {
        return encryptor.encrypt(++label, 12_345_678L);
    }

    /** The client's functional-key share for the sum: two hash-to-G2 and six G2 scalar multiplications. */
    @Benchmark
    public DmcfeKeyShare deriveKeyShare() {
        return DmcfeKeyShares.derive(secret);
    }
}
