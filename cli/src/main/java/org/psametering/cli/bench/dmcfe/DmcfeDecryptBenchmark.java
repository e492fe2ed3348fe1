package org.psametering.cli.bench.dmcfe;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.dmcfe.DiscreteLogTable;
import org.psametering.crypto.dmcfe.DmcfeCiphertext;
import org.psametering.crypto.dmcfe.DmcfeClientSecret;
import org.psametering.crypto.dmcfe.DmcfeDecryptor;
import org.psametering.crypto.dmcfe.DmcfeEncryptor;
import org.psametering.crypto.dmcfe.DmcfeFunctionalKey;
import org.psametering.crypto.dmcfe.DmcfeGroup;
import org.psametering.crypto.dmcfe.DmcfeKeySetup;
import org.psametering.crypto.dmcfe.DmcfeKeyShare;
import org.psametering.crypto.dmcfe.DmcfeKeyShares;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.keysetup.AgreementKeyPair;

/**
 * The DMCFE decryptor's cost per label, split into the pairing half (independent of the bound) and the
 * baby-step giant-step half (grows with sqrt(clients x maxValue)). The sum decrypted is that of uniform readings,
 * so about half the worst case's giant steps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DmcfeDecryptBenchmark {

    private static final long LABEL = 1;

    @Param({"100"})
    public int clients;

    @Param({"1000000", "100000000"})
    public long maxValue;

    private DmcfeDecryptor decryptor;
    private DiscreteLogTable table;
    private List<DmcfeCiphertext> ciphertexts;
    private GtElement sumInExponent;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        DmcfeGroup group = DmcfeGroup.onBls12381("bench", clients, maxValue);
        List<AgreementKeyPair> pairs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            pairs.add(AgreementKeyPair.generate(random));
        }
        List<DmcfeKeyShare> shares = new ArrayList<>();
        ciphertexts = new ArrayList<>();
        SplittableRandom readings = new SplittableRandom(1);
        for (int i = 0; i < clients; i++) {
            AgreementKeyPair mine = pairs.get(i);
            DmcfeClientSecret secret = DmcfeKeySetup.setup(group, i,
                    other -> mine.sharedSecret(pairs.get(other).publicKey()), random);
            shares.add(DmcfeKeyShares.derive(secret));
            ciphertexts.add(new DmcfeEncryptor(secret, Long.MIN_VALUE).encrypt(LABEL, readings.nextLong(maxValue + 1)));
        }
        table = DiscreteLogTable.build(group.curve(), group.bound(), DiscreteLogTable.Progress.NONE);
        decryptor = new DmcfeDecryptor(DmcfeFunctionalKey.combine(group, shares), table);
        sumInExponent = decryptor.sumInExponent(LABEL, ciphertexts);
    }

    /** Summing N ciphertexts in G1 and a product of three pairings. */
    @Benchmark
    public GtElement pairings() {
        return decryptor.sumInExponent(LABEL, ciphertexts);
    }

    /** The bounded discrete log with the precomputed table. */
    @Benchmark
    public long discreteLog() {
        return table.log(sumInExponent);
    }

    /** Both halves: what one label costs the decryptor. */
    @Benchmark
    public long decrypt() {
        return decryptor.decrypt(LABEL, ciphertexts);
    }
}
