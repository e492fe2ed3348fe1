package org.psametering.cli.soak;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a soak run found; printed, and written as JSON with {@code --json}.
 *
 * @param steps              time-steps from the first active one to the last one any meter reported, each of which must
 *                           have a recorded result
 * @param exact              steps recorded COMPLETE with exactly the true sum
 * @param recovered          steps recorded RECOVERED (a status a later version adds; counted if it appears)
 * @param incomplete         steps recorded INCOMPLETE (a meter was down or cut off too long: no sum, which is not an error)
 * @param incompleteAllAcked of {@code incomplete}, steps for which the broker had acknowledged every member's ciphertext:
 *                           the head-end could have completed them (not an error in the sums, but data that never made it)
 * @param noResult           steps in the range without any recorded result (the head-end skipped a step: must be 0)
 * @param wrong              distinct results, published or stored, whose sum is not the true sum over the meters they
 *                           claim (must be 0)
 * @param summed             acknowledged ciphertexts used in a COMPLETE or RECOVERED sum
 * @param refusedAfterRecovery acknowledged ciphertexts the head-end refused on purpose because they arrived after their
 *                           step's recovery was requested (its refusal record names them and the step's result shows the
 *                           recovery without their meter): a late reading would be revealed by difference
 * @param heldInIncomplete   acknowledged ciphertexts the head-end stored for a step without a sum (INCOMPLETE)
 * @param lost               acknowledged ciphertexts none of the above (must be 0); with {@code summed},
 *                           {@code refusedAfterRecovery} and {@code heldInIncomplete} they add up to {@code acknowledged}
 * @param lostNearBrokerKill of {@code lost}, those acknowledged within a second before a broker SIGKILL (what Mosquitto's
 *                           periodic persistence can drop)
 * @param reusedLabels       times a meter encrypted a label twice (must be 0: it would leak a difference of readings)
 * @param unsentAtEnd        ciphertexts still in the meters' outboxes when they were stopped (not lost: still theirs)
 * @param metersOnBogusEpoch meters whose saved state holds an epoch newer than any the head-end started: a forged
 *                           announcement led them into it (a never-completing key setup beside their active epoch; the
 *                           next real epoch replaces it)
 * @param bogusEpochMetersReporting of {@code metersOnBogusEpoch}, meters that encrypted one of the last three steps: they
 *                           kept reporting in their active epoch
 * @param crashImages        meter crashes restarted from a crash image (the others from a clean stop, see MeterCrash)
 * @param harnessErrors      faults or repairs the soak itself failed to carry out
 */
public record SoakReport(long seed, int meters, double stepSeconds, double faultMinutes, double wallMinutes,
                         long steps, long exact, long recovered, long incomplete, long incompleteAllAcked, long noResult, long wrong,
                         long summed, long refusedAfterRecovery, long heldInIncomplete, long lost,
                         long lostNearBrokerKill, long encrypted, long acknowledged, long reusedLabels, long unsentAtEnd, long metersOnBogusEpoch,
                         long bogusEpochMetersReporting,
                         Map<FaultKind, Long> faults, long crashImages, long hostileSent, Map<HostileKind, Long> hostileByKind,
                         Map<String, Long> hostileByTopic, long hostileNotSent, Map<String, Long> headEndRejections,
                         List<String> wrongResults, List<String> lostCiphertexts, List<String> harnessErrors, String workDir) {

    /** No wrong sum, no lost acknowledged ciphertext, no reused label. */
    @JsonProperty("passed")
    public boolean passed() {
        return wrong == 0 && lost == 0 && reusedLabels == 0;
    }

    @JsonProperty("faultsInjected")
    public long faultsInjected() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }
}
