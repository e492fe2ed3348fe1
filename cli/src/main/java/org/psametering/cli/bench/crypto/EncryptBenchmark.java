package org.psametering.cli.bench.crypto;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

/** One meter's encryption of one reading: H(t) expansion, inner product, encoding. Target (khprf-2021): &lt;= 18 us. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncryptBenchmark {

    @Param({"khprf-2021", "lwr-3072-q128-p85"})
    public String params;

    private PsaEncryptor encryptor;
    private long label;

    @Setup
    public void setUp() {
        PsaParameters p = PsaParameters.byName(params);
        GroupContext group = new GroupContext("bench", 1, 1_000, p);
        encryptor = new PsaEncryptor(PsaKey.generate(p, new SecureRandom()), group, Long.MIN_VALUE);
        label = 0;
    }

    @Benchmark
    public Ciphertext encrypt() {
        return encryptor.encrypt(++label, 1_234);
    }
}
