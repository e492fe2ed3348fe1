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
 * @param lost               ciphertexts the broker acknowledged to a meter that the head-end neither stored nor used in
 *                           a result (must be 0)
 * @param lostNearBrokerKill of {@code lost}, those acknowledged within a second before a broker SIGKILL (what Mosquitto's
 *                           periodic persistence can drop)
 * @param reusedLabels       times a meter encrypted a label twice (must be 0: it would leak a difference of readings)
 * @param unsentAtEnd        ciphertexts still in the meters' outboxes when they were stopped (not lost: still theirs)
 * @param metersOnBogusEpoch meters whose saved state holds an epoch newer than any the head-end started: a forged
 *                           announcement led them into it (issue 8, defect 3; harmless until the next real re-key)
 * @param crashImages        meter crashes restarted from a crash image (the others from a clean stop, see MeterCrash)
 * @param harnessErrors      faults or repairs the soak itself failed to carry out
 */
public record SoakReport(long seed, int meters, double stepSeconds, double faultMinutes, double wallMinutes,
                         long steps, long exact, long recovered, long incomplete, long incompleteAllAcked, long noResult, long wrong, long lost,
                         long lostNearBrokerKill, long encrypted, long acknowledged, long reusedLabels, long unsentAtEnd, long metersOnBogusEpoch,
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
