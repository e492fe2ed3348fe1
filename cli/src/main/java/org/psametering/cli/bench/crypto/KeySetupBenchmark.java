package org.psametering.cli.bench.crypto;

import java.security.SecureRandom;
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

/** One meter's share of the trustless key setup: N-1 X25519 agreements, N-1 mask expansions folded in place. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KeySetupBenchmark {

    @Param({"khprf-2021", "lwr-3072-q128-p85"})
    public String params;

    @Param({"100", "1000", "10000"})
    public int groupSize;

    private MeterId self;
    private AgreementKeyPair mine;
    private PsaKey key;
    private KeySet keySet;

    @Setup
    public void setUp() {
        PsaParameters p = PsaParameters.byName(params);
        GroupContext group = new GroupContext("bench", 1, groupSize, p);
        SecureRandom random = new SecureRandom();
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (int i = 0; i < groupSize; i++) {
            AgreementKeyPair pair = AgreementKeyPair.generate(random);
            MeterId id = new MeterId(String.format("meter-%06d", i));
            members.put(id, pair.publicKey());
            if (i == groupSize / 2) {
                self = id;
                mine = pair;
            }
        }
        keySet = new KeySet(group, members);
        key = PsaKey.generate(p, random);
    }

    @Benchmark
    public BlindedKey blind() {
        return KeySetup.blind(self, mine, key, keySet);
    }
}
