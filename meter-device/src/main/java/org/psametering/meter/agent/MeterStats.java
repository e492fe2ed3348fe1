package org.psametering.meter.agent;

import java.util.Map;

/**
 * Counters of one meter since start (for logs, the demo and tests).
 *
 * @param encrypted         steps encrypted and queued
 * @param noKey             steps that ended while no epoch was active (reading not sent)
 * @param labelNotAfterLast steps refused because their label was not after the last used one (clock went backwards)
 * @param outOfRange        steps whose reading exceeded what the group can aggregate exactly (reading not sent)
 * @param missedSteps       step boundaries that passed without a tick (their energy went into the next step sent)
 * @param sensorErrors      failed sensor reads (retried on the next tick)
 * @param rejectedMessages  inbound messages that were malformed or inconsistent
 * @param outboxDropped     queued ciphertexts dropped because the outbox was full
 * @param outboxSize        ciphertexts waiting for the broker now
 * @param announcementRefusals announcements not acted on, per reason (also included in {@code rejectedMessages})
 * @param failedSteps       step work that threw (e.g. the state or outbox could not be saved); the reading is lost
 * @param stepsUnderSupersededEpoch steps encrypted under an older epoch because the newer one's ACTIVE arrived after
 *                          its first step began; the head-end refuses them as WRONG_EPOCH
 * @param recoveryAnswers   recovery requests answered (each saved in the state file before its answer was queued)
 * @param recoveryRepeats   identical recovery requests answered again (same bytes: reveals nothing new)
 * @param recoveryRefusals  recovery requests not answered, per reason (RecoveryAnswerer.LocalRefusal or the policy's
 *                          RefusalReason name)
 * @param skippedSteps      steps left unreported on purpose ({@link org.psametering.meter.StepSkips}: simulations only)
 * @param trustRefusals     head-end messages and key sets not believed, per reason (also in {@code rejectedMessages}):
 *                          for none of them was a key blinded or an answer sent
 * @param lastTrustRefusal  the newest of those, reason and detail (no secrets), or "" if none
 * @param crlProblems       per watched CRL file ({@code trust.crl}, {@code mqtt.tls.crlFile}) whose current version
 *                          could not be loaded: "file: reason" (the previous CRL stays in force); empty when all are
 *                          current. Non-empty means the meter is degraded: a revocation issued since is not seen
 * @param crlReloadFailures how many changed CRL files could not be loaded since the start (each change once)
 */
public record MeterStats(long encrypted, long noKey, long labelNotAfterLast, long outOfRange, long missedSteps, long sensorErrors,
                         long rejectedMessages, long outboxDropped, int outboxSize, Map<AnnouncementRefusal, Long> announcementRefusals,
                         long failedSteps, long stepsUnderSupersededEpoch, long recoveryAnswers, long recoveryRepeats,
                         Map<String, Long> recoveryRefusals, long skippedSteps, Map<TrustRefusal, Long> trustRefusals,
                         String lastTrustRefusal, java.util.List<String> crlProblems, long crlReloadFailures) {

    public MeterStats {
        crlProblems = java.util.List.copyOf(crlProblems);
        trustRefusals = Map.copyOf(trustRefusals);
        announcementRefusals = Map.copyOf(announcementRefusals);
        recoveryRefusals = Map.copyOf(recoveryRefusals);
    }

    /** These counters with the state of the watched CRL files (the agent itself does not hold them). */
    public MeterStats withCrls(java.util.List<org.psametering.protocol.trust.CrlFileTrust> watched) {
        java.util.List<String> problems = new java.util.ArrayList<>(crlProblems);
        long failures = crlReloadFailures;
        for (org.psametering.protocol.trust.CrlFileTrust crl : watched) {
            crl.reloadProblem().ifPresent(problem -> problems.add(crl.file() + ": " + problem));
            failures += crl.failedReloads();
        }
        return new MeterStats(encrypted, noKey, labelNotAfterLast, outOfRange, missedSteps, sensorErrors, rejectedMessages,
                outboxDropped, outboxSize, announcementRefusals, failedSteps, stepsUnderSupersededEpoch, recoveryAnswers,
                recoveryRepeats, recoveryRefusals, skippedSteps, trustRefusals, lastTrustRefusal, problems, failures);
    }

    /** True iff a watched CRL file could not be loaded: revocations issued since may not be seen. */
    public boolean degraded() {
        return !crlProblems.isEmpty();
    }

    /** How many recovery requests were refused for {@code reason} (a RefusalReason or LocalRefusal name). */
    public long recoveryRefused(String reason) {
        return recoveryRefusals.getOrDefault(reason, 0L);
    }

    /** How many head-end messages or key sets were not believed for {@code reason}. */
    public long refused(TrustRefusal reason) {
        return trustRefusals.getOrDefault(reason, 0L);
    }

    /** How many announcements were refused for {@code reason}. */
    public long refused(AnnouncementRefusal reason) {
        return announcementRefusals.getOrDefault(reason, 0L);
    }
}
