package org.psametering.headend.membership;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One configured member as {@code GET /groups/{id}/membership} shows it.
 *
 * @param consecutiveMisses step results in a row (since its last report) that listed the meter as missing
 * @param lastReportedLabel the newest label it reported, as far as this head-end has seen since its start (results
 *                          of the last {@code dropAfterMissedSteps + 1} steps are replayed at start)
 * @param droppedSince      when it was dropped (DROPPED, PENDING_READMISSION)
 * @param heardSince        when a refused message of the dropped meter was first seen (PENDING_READMISSION)
 * @param keptByFloor       absent long enough to drop, but dropping it would leave fewer than {@code minMembers}
 */
public record MemberView(String meter, MemberState state, int consecutiveMisses, OptionalLong lastReportedLabel,
                         Optional<Instant> droppedSince, Optional<Instant> heardSince, boolean keptByFloor) {
}
