package org.psametering.cli.bench.crypto;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.internal.RandomOracle;
import org.psametering.crypto.internal.VectorExpander;
import org.psametering.crypto.psa.PsaParameters;

/** H(t) into Z_q^n with each candidate expander; the faster one is the scheme's (see shared-crypto/README.md). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OracleExpansionBenchmark {

    @Param({"khprf-2021", "lwr-3072-q128-p85"})
    public String params;

    @Param({"aes-256-ctr", "shake128"})
    public String expander;

    private RandomOracle oracle;
    private PsaParameters p;
    private long label;

    @Setup
    public void setUp() {
        p = PsaParameters.byName(params);
        VectorExpander e = switch (expander) {
            case "aes-256-ctr" -> VectorExpander.aesCtr();
            case "shake128" -> VectorExpander.shake128();
            default -> throw new IllegalArgumentException("unknown expander " + expander);
        };
        oracle = new RandomOracle(e, p.n());
    }

    @Benchmark
    public byte[] expand() {
        return oracle.expand(p.id(), p.name(), "bench", 1, ++label);
    }
}
