package org.psametering.cli.bench.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAggregator;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryRequest;

/**
 * The head-end's cost of a recovered step (K' = K - sum of the missing blinded keys, one PRF, the sums of |S|
 * ciphertexts and |S| answers with their checks, decode) against a complete step of the same group (PsaAggregator).
 *
 * <p>Like AggregateBenchmark, keys and residual masks come from a pool of 32 vectors used round-robin (the work per
 * step does not depend on them being distinct); the missing meters' blinded keys are chosen so that the algebra of
 * the key setup holds, and the setup checks that both paths decrypt correctly before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RecoveryCombineBenchmark {

    private static final int POOL = 32;
    private static final long LABEL = 42;

    @Param({"lwr-3072-q128-p85-rec"})
    public String params;

    @Param({"1000", "10000"})
    public int groupSize;

    @Param({"0.01"})
    public double missing;

    private RecoveryAggregator recoveryAggregator;
    private PsaAggregator aggregator;
    private RecoveryRequest request;
    private Map<MeterId, BlindedKey> missingKeys;
    private Map<MeterId, Ciphertext> reporting;
    private Map<MeterId, RecoveryAnswer> answers;
    private List<Ciphertext> complete;

    static int missingCount(int groupSize, double fraction) {
        return Math.max(1, (int) Math.round(groupSize * fraction));
    }

    @Setup
    public void setUp() {
        PsaParameters p = PsaParameters.byName(params);
        GroupContext group = new GroupContext("bench", 1, groupSize, p);
        SecureRandom random = new SecureRandom();
        List<PsaKey> keys = new ArrayList<>();
        List<PsaKey> residuals = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            keys.add(PsaKey.generate(p, random));
            residuals.add(PsaKey.generate(p, random));
        }
        int missingCount = missingCount(groupSize, missing);
        TreeSet<MeterId> absent = new TreeSet<>();
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        ZqVector k = ZqVector.zero(p.n());
        ZqVector residualSum = ZqVector.zero(p.n());
        Map<MeterId, ZqVector> absentKeys = new HashMap<>();
        reporting = new HashMap<>();
        complete = new ArrayList<>(groupSize);
        long expectedComplete = 0;
        long expectedRecovered = 0;
        Map<MeterId, PsaKey> residualOf = new HashMap<>();
        for (int i = 0; i < groupSize; i++) {
            MeterId id = new MeterId(String.format("meter-%06d", i));
            byte[] pk = new byte[32];
            random.nextBytes(pk);
            members.put(id, new AgreementPublicKey(pk)); // no agreement happens on the head-end
            PsaKey key = keys.get(i % POOL);
            k.add(SecretAccess.psaKeys().vector(key));
            long reading = random.nextLong(group.maxReading() + 1);
            Ciphertext ct = new PsaEncryptor(key, group, Long.MIN_VALUE).encrypt(LABEL, reading);
            complete.add(ct);
            expectedComplete += reading;
            if (i % (groupSize / missingCount) == 0 && absent.size() < missingCount) {
                absent.add(id);
                absentKeys.put(id, SecretAccess.psaKeys().vector(key).copy());
            } else {
                reporting.put(id, ct);
                expectedRecovered += reading;
                PsaKey rho = residuals.get(i % POOL);
                residualOf.put(id, rho);
                residualSum.add(SecretAccess.psaKeys().vector(rho));
            }
        }
        KeySet keySet = new KeySet(group, members);
        request = new RecoveryRequest(group, LABEL, absent);
        // b_j = k_j for the missing meters, plus the residuals' sum on the first: K - sum b_j = sum_S k_i - sum_S rho_i
        absentKeys.get(absent.first()).add(residualSum);
        missingKeys = new HashMap<>();
        absentKeys.forEach((id, v) -> missingKeys.put(id, SecretAccess.blindedKeys().create(id, group, v)));
        answers = new HashMap<>();
        byte[] digest = request.digest();
        Map<PsaKey, Ciphertext> prfOfResidual = new HashMap<>();
        residualOf.forEach((id, rho) -> {
            Ciphertext f = prfOfResidual.computeIfAbsent(rho,
                    r -> new PsaEncryptor(r, group, Long.MIN_VALUE).encrypt(LABEL, 0));
            answers.put(id, new RecoveryAnswer(LABEL, digest, f.high(), f.low()));
        });
        AggregationKey aggregationKey = SecretAccess.aggregationKeys().create(p, k);
        aggregator = new PsaAggregator(aggregationKey, group);
        recoveryAggregator = new RecoveryAggregator(aggregationKey, keySet);
        if (aggregator.aggregate(LABEL, complete) != expectedComplete || recover() != expectedRecovered) {
            throw new IllegalStateException("benchmark setup does not decrypt correctly");
        }
        System.gc(); // as in AggregateBenchmark: measure a compacted heap, not the setup's scattered garbage
    }

    @Benchmark
    public long recover() {
        return recoveryAggregator.recover(request, missingKeys, reporting, answers);
    }

    @Benchmark
    public long aggregateComplete() {
        return aggregator.aggregate(LABEL, complete);
    }
}
