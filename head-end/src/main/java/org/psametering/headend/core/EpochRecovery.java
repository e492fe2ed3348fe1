package org.psametering.headend.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.recovery.RecoveryAggregator;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.MalformedEncodingException;
import org.psametering.protocol.ForgedMessageException;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.RecoveryAnswerMessage;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * The recoveries of one active, recoverable epoch (docs/protocol.md, "Recovery"): which steps may be recovered, the
 * open requests, their answers, and the result each ends with. A step is recovered once: from the moment its
 * RECOVERING result is stored the label takes no more ciphertexts ({@link EpochCollector} refuses them), and it ends
 * RECOVERED (the exact sum over the reporting meters) when every reporting meter answered, or INCOMPLETE
 * (RECOVERY_UNANSWERED) when the window passes first; never with a wrong or partial sum.
 *
 * <p>Durability: the request is the stored RECOVERING result (written before it is published, restored after a
 * restart, and published again: meters answer an identical request with identical bytes). An answer is
 * {@link #check checked}, stored by the caller (forced to disk once per inbound batch), only then {@link #keep kept} and
 * acknowledged, and restored after a restart ({@link #restoreAnswer}). Single-threaded (the core thread).
 */
public final class EpochRecovery {

    private final GroupContext context;
    private final int stepSeconds;
    private final int minReporting;
    private final long windowSeconds;
    private final Map<String, MessageKey> messageKeys;
    private final Map<String, BlindedKey> blindedKeys;
    private final RecoveryAggregator aggregator;
    private final TreeMap<Long, Round> rounds = new TreeMap<>();

    /** One open request: the missing meters, the answers so far, the window. */
    private static final class Round {
        final RecoveryRequest request;
        final byte[] digest;
        final List<String> missing;
        final int reported;
        final Instant expires;
        final Map<MeterId, RecoveryAnswer> answers = new HashMap<>();
        final Map<String, byte[]> payloads = new HashMap<>();

        Round(RecoveryRequest request, List<String> missing, int reported, Instant expires) {
            this.request = request;
            this.digest = request.digest();
            this.missing = List.copyOf(missing);
            this.reported = reported;
            this.expires = expires;
        }
    }

    /** Keys and settings of a recoverable epoch, or empty if the epoch's parameter set cannot recover. */
    public static Optional<EpochRecovery> of(EpochKeySetup epoch, int minReporting, long windowSeconds) {
        if (!epoch.context().params().scheme().supportsRecovery() || epoch.keySet().isEmpty()) {
            return Optional.empty();
        }
        Map<String, MessageKey> keys = new HashMap<>();
        Map<String, BlindedKey> blinded = new HashMap<>();
        for (String member : epoch.members()) {
            keys.put(member, epoch.messageKey(member));
            Optional<BlindedKey> b = epoch.blindedKey(member);
            if (b.isEmpty()) {
                // an epoch activated before blinded keys were kept: it simply cannot recover
                return Optional.empty();
            }
            blinded.put(member, b.get());
        }
        return Optional.of(new EpochRecovery(epoch, keys, blinded, minReporting, windowSeconds));
    }

    private EpochRecovery(EpochKeySetup epoch, Map<String, MessageKey> messageKeys, Map<String, BlindedKey> blindedKeys,
                          int minReporting, long windowSeconds) {
        this.context = epoch.context();
        this.stepSeconds = epoch.stepSeconds();
        this.minReporting = minReporting;
        this.windowSeconds = windowSeconds;
        this.messageKeys = messageKeys;
        this.blindedKeys = blindedKeys;
        KeySet keySet = epoch.keySet().orElseThrow();
        this.aggregator = new RecoveryAggregator(epoch.aggregationKey(), keySet);
    }

    /** True if a step with {@code reported} of the members reporting (and at least one missing) is recovered. */
    public boolean eligible(int reported) {
        return reported >= minReporting && reported < context.groupSize();
    }

    /** The RECOVERING result that starts a recovery; the caller stores it, then calls {@link #started}. */
    public StepResult recovering(long label, List<String> missing, int reported, Instant now) {
        return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                ResultStatus.RECOVERING, OptionalLong.empty(), missing, reported, now);
    }

    /** The RECOVERING result is stored (or restored): opens the round, its window counted from {@code now}. */
    public void started(StepResult recovering, Instant now) {
        if (rounds.containsKey(recovering.label())) {
            return;
        }
        TreeSet<MeterId> missing = new TreeSet<>();
        recovering.missing().forEach(m -> missing.add(new MeterId(m)));
        RecoveryRequest request = new RecoveryRequest(context, recovering.label(), missing);
        rounds.put(recovering.label(), new Round(request, recovering.missing(), recovering.reported(),
                now.plusSeconds(windowSeconds)));
    }

    /** The request of an open round, for publishing (again). */
    public List<RecoveryRequestMessage> openRequests() {
        List<RecoveryRequestMessage> all = new ArrayList<>();
        for (Round round : rounds.values()) {
            all.add(new RecoveryRequestMessage(context.groupId(), context.epoch(), round.request.label(), round.missing));
        }
        return all;
    }

    public boolean isOpen(long label) {
        return rounds.containsKey(label);
    }

    /** Where an accepted answer is stored before memory changes (throws if it cannot be: nothing changes then). */
    @FunctionalInterface
    public interface AnswerSink {
        void store(long label, String meter, byte[] payload);
    }

    /** An answer that passed every check, not yet stored nor kept: {@link #keep} it once it is durable. */
    public record CheckedAnswer(long label, String meter, byte[] payload, RecoveryAnswer answer) {
        public CheckedAnswer {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /**
     * Checks one meter's answer, stores it through {@code persist}, then keeps it. Returns the final result once every
     * reporting meter answered ({@code ciphertextsOf}: the stored ciphertexts of a label, by meter). Throws
     * {@link Rejected} (the caller acknowledges and counts it) for anything that is not a new, valid answer.
     */
    public Optional<StepResult> answer(String meter, byte[] payload, AnswerSink persist,
                                       LongFunction<Map<String, Ciphertext>> ciphertextsOf, Instant now) {
        CheckedAnswer checked = check(meter, payload);
        persist.store(checked.label(), meter, payload);
        return keep(checked, ciphertextsOf, now);
    }

    /**
     * Checks one meter's answer without changing anything: the caller stores it and, once that is durable, calls
     * {@link #keep}. Throws {@link Rejected} for anything that is not a new, valid answer.
     */
    public CheckedAnswer check(String meter, byte[] payload) {
        MessageKey key = messageKeys.get(meter);
        if (key == null) {
            throw new Rejected(RejectReason.UNKNOWN_METER, "recovery answer of " + meter + ", not a member of "
                    + context.groupId() + "/" + context.epoch());
        }
        RecoveryAnswer answer;
        try {
            byte[] body = RecoveryAnswerMessage.parse(payload).verify(key).answerEncoding();
            answer = Encodings.decodeRecoveryAnswer(body, context.params());
        } catch (MalformedMessageException | MalformedEncodingException e) {
            throw new Rejected(RejectReason.MALFORMED, "recovery answer of " + meter + ": " + e.getMessage());
        } catch (ForgedMessageException e) {
            throw new Rejected(RejectReason.FORGED, "recovery answer of " + meter + ": " + e.getMessage());
        }
        Round round = rounds.get(answer.label());
        if (round == null) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + meter + " for label "
                    + answer.label() + ", which is not being recovered in " + context.groupId() + "/" + context.epoch());
        }
        if (!answer.answers(round.request.label(), round.digest)) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + meter + " for label "
                    + answer.label() + " answers another request");
        }
        if (round.request.missing().contains(new MeterId(meter))) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + meter + ", who is missing at label "
                    + answer.label());
        }
        requireNew(round, meter, payload, answer.label());
        return new CheckedAnswer(round.request.label(), meter, payload, answer);
    }

    /**
     * Keeps a checked answer that is now durable; the final result once every reporting meter answered. Throws
     * {@link Rejected} if the round ended or the meter's answer was kept meanwhile (a second copy in the same batch).
     */
    public Optional<StepResult> keep(CheckedAnswer checked, LongFunction<Map<String, Ciphertext>> ciphertextsOf, Instant now) {
        Round round = rounds.get(checked.label());
        if (round == null) {
            throw new Rejected(RejectReason.UNEXPECTED_ANSWER, "recovery answer of " + checked.meter() + " for label "
                    + checked.label() + ", whose recovery ended meanwhile");
        }
        requireNew(round, checked.meter(), checked.payload(), checked.label());
        round.answers.put(new MeterId(checked.meter()), checked.answer());
        round.payloads.put(checked.meter(), checked.payload());
        if (round.answers.size() < round.request.reportingCount()) {
            return Optional.empty();
        }
        return Optional.of(combine(round, ciphertextsOf.apply(round.request.label()), now));
    }

    private static void requireNew(Round round, String meter, byte[] payload, long label) {
        byte[] known = round.payloads.get(meter);
        if (known != null) {
            // the identical answer again (a redelivery); a different one cannot be authentic for the same request
            throw new Rejected(RejectReason.DUPLICATE, "second recovery answer of " + meter + " for label " + label
                    + (Arrays.equals(known, payload) ? "" : " (different bytes)"));
        }
    }

    private StepResult combine(Round round, Map<String, Ciphertext> ciphertexts, Instant now) {
        long label = round.request.label();
        Map<MeterId, Ciphertext> cts = new HashMap<>();
        ciphertexts.forEach((meter, ct) -> cts.put(new MeterId(meter), ct));
        Map<MeterId, BlindedKey> missingKeys = new HashMap<>();
        for (String m : round.missing) {
            missingKeys.put(new MeterId(m), blindedKeys.get(m));
        }
        try {
            long sum = aggregator.recover(round.request, missingKeys, cts, round.answers);
            return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                    ResultStatus.RECOVERED, OptionalLong.of(sum), round.missing, round.reported, now);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // every answer and ciphertext was authenticated: a member MAC'd one that does not belong; no wrong sum
            return failed(round, ResultReason.RECOVERY_FAILED, now);
        }
    }

    /**
     * Results due at a deadline scan: a round with every answer whose result could not be stored yet (combined again:
     * deterministic), and INCOMPLETE for a round whose window passed without every answer (never a partial sum).
     */
    public List<StepResult> due(Instant now, LongFunction<Map<String, Ciphertext>> ciphertextsOf) {
        List<StepResult> results = new ArrayList<>();
        for (Round round : rounds.values()) {
            if (round.answers.size() == round.request.reportingCount()) {
                results.add(combine(round, ciphertextsOf.apply(round.request.label()), now));
            } else if (!now.isBefore(round.expires)) {
                results.add(failed(round, ResultReason.RECOVERY_UNANSWERED, now));
            }
        }
        return results;
    }

    private StepResult failed(Round round, ResultReason reason, Instant now) {
        long label = round.request.label();
        return new StepResult(context.groupId(), context.epoch(), label, TimeSteps.start(label, stepSeconds), stepSeconds,
                ResultStatus.INCOMPLETE, OptionalLong.empty(), round.missing, round.reported, now, Optional.of(reason));
    }

    /**
     * An answer stored before a restart (its round restored first): checked again, kept without storing it again.
     * One that no longer fits (its round ended) is skipped: it is purged with the step.
     */
    public void restoreAnswer(String meter, byte[] payload) {
        try {
            answer(meter, payload, (label, m, p) -> { }, label -> Map.of(), Instant.EPOCH);
        } catch (Rejected e) {
            // the step's final result was stored before the restart: nothing to do
        }
    }

    /** The step's final result is stored: closes the round. */
    public void finish(long label) {
        rounds.remove(label);
    }

    /** Meters of an open round that have not answered yet (for logs and tests). */
    public List<String> unanswered(long label) {
        Round round = rounds.get(label);
        if (round == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String member : messageKeys.keySet()) {
            MeterId id = new MeterId(member);
            if (!round.request.missing().contains(id) && !round.answers.containsKey(id)) {
                out.add(member);
            }
        }
        out.sort(null);
        return out;
    }

    public int openCount() {
        return rounds.size();
    }
}
