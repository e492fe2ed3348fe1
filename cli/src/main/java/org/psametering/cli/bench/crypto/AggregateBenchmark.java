package org.psametering.cli.bench.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.internal.SecretAccess;
import org.psametering.crypto.internal.ZqVector;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

/**
 * The head-end's work per group and time-step: sum N ciphertexts, subtract F(K, t), decode. Target (khprf-2021,
 * N = 10 000): &lt;= 90 us.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AggregateBenchmark {

    /** Distinct meter keys; meters share them round-robin, which leaves the aggregation work unchanged. */
    private static final int KEY_POOL = 32;
    private static final long LABEL = 42;

    @Param({"khprf-2021", "lwr-3072-q128-p85"})
    public String params;

    @Param({"100", "1000", "10000", "100000"})
    public int groupSize;

    private PsaAggregator aggregator;
    private List<Ciphertext> ciphertexts;
    private long expected;

    @Setup
    public void setUp() {
        PsaParameters p = PsaParameters.byName(params);
        GroupContext group = new GroupContext("bench", 1, groupSize, p);
        SecureRandom random = new SecureRandom();
        List<PsaKey> pool = new ArrayList<>();
        for (int i = 0; i < KEY_POOL; i++) {
            pool.add(PsaKey.generate(p, random));
        }
        // K = sum over meters of their keys, i.e. pool keys counted with multiplicity
        ZqVector k = ZqVector.zero(p.n());
        ciphertexts = new ArrayList<>(groupSize);
        expected = 0;
        for (int i = 0; i < groupSize; i++) {
            PsaKey key = pool.get(i % KEY_POOL);
            k.add(SecretAccess.psaKeys().vector(key));
            long reading = random.nextLong(group.maxReading() + 1);
            expected += reading;
            ciphertexts.add(new PsaEncryptor(key, group, Long.MIN_VALUE).encrypt(LABEL, reading));
        }
        AggregationKey aggregationKey = SecretAccess.aggregationKeys().create(p, k);
        aggregator = new PsaAggregator(aggregationKey, group);
        if (aggregator.aggregate(LABEL, ciphertexts) != expected) {
            throw new IllegalStateException("benchmark setup does not decrypt correctly");
        }
        // setup leaves the ciphertexts scattered between megabytes of garbage; a long-running head-end's live list has
        // been compacted by the collector, so compact it here too rather than measure cache misses of the setup
        System.gc();
    }

    @Benchmark
    public long aggregate() {
        return aggregator.aggregate(LABEL, ciphertexts);
    }
}
