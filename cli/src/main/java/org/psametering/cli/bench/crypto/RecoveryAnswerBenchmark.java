package org.psametering.cli.bench.crypto;

import java.security.SecureRandom;
import java.util.Optional;
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
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.PairwiseSeeds;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryDecision;
import org.psametering.crypto.recovery.RecoveryPermit;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.recovery.RecoveryResponder;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.RecoveryAnswerMessage;

/**
 * A reporting meter's cost per recovery answer: the policy check (request digest over the missing ids), then one
 * X25519 agreement and one mask expansion per missing meter, and one PRF evaluation. Target (1 000 meters, 1 %
 * missing, i.e. 10 masks): &lt;= 2 ms. {@code answerFromSeeds}: the same with the pairwise seeds derived once per
 * epoch, so without the agreements. {@code answerAsTheMeter}: what the meter's RecoveryAnswerer computes per answer
 * (policy, answer from the seeds it derives when the key set arrives, wire encoding, MAC of the answer message); its
 * fsync of the answered request before it answers is disk latency, not counted here.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryAnswerBenchmark {

    private static final long LABEL = 42;

    @Param({"lwr-3072-q128-p85-rec"})
    public String params;

    @Param({"1000", "10000"})
    public int groupSize;

    /** Fraction of the group missing. */
    @Param({"0.01"})
    public double missing;

    private final RecoveryPolicy policy = new RecoveryPolicy(2);
    private MeterId self;
    private AgreementKeyPair mine;
    private KeySet keySet;
    private RecoveryRequest request;
    private PairwiseSeeds seeds;
    private MessageKey messageKey;

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
        int missingCount = RecoveryCombineBenchmark.missingCount(groupSize, missing);
        TreeSet<MeterId> absent = new TreeSet<>();
        // spread over the id range, so that the missing meters' ids lie both below and above self's
        for (int k = 0; k < missingCount; k++) {
            absent.add(new MeterId(String.format("meter-%06d", (int) ((long) k * groupSize / missingCount))));
        }
        absent.remove(self);
        request = new RecoveryRequest(group, LABEL, absent);
        seeds = PairwiseSeeds.derive(self, mine, keySet);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        messageKey = MessageKey.derive(secret, "bench", 1, self.value());
        if (!answer().equals(answerFromSeeds())) {
            throw new IllegalStateException("answers from agreements and from seeds differ");
        }
    }

    @Benchmark
    public RecoveryAnswer answer() {
        return RecoveryResponder.answer(permit(), mine);
    }

    @Benchmark
    public RecoveryAnswer answerFromSeeds() {
        return RecoveryResponder.answer(permit(), seeds);
    }

    @Benchmark
    public byte[] answerAsTheMeter() {
        RecoveryAnswer answer = RecoveryResponder.answer(permit(), seeds);
        return RecoveryAnswerMessage.seal(Encodings.encode(answer, keySet.group().params()), messageKey);
    }

    private RecoveryPermit permit() {
        RecoveryDecision decision = policy.decide(request, self, keySet, LABEL, Optional.empty());
        if (!(decision instanceof RecoveryDecision.Answer ok)) {
            throw new IllegalStateException("benchmark request refused: " + decision);
        }
        return ok.permit();
    }
}
