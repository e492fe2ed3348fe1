package org.psametering.headend.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultStatus;

/**
 * The tick after a stored result asks the policy whether a member is due for a drop: it looks at the members that
 * missed a step (and those a stalled key setup waits for), not at every member, and decides as before.
 */
class GroupMembershipPlanTest {
    private static final int STEP = 60;
    private static final int MEMBERS = 100;
    private static final int DROP_AFTER = 3;
    private static final List<String> METERS = IntStream.rangeClosed(1, MEMBERS).mapToObj(i -> String.format("m%03d", i)).toList();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static GroupSettings settings(List<String> members) {
        return new GroupSettings("g", PsaParameters.KHPRF_2021.name(), STEP, 10, 20 * STEP, members)
                .withMembershipPolicy(DROP_AFTER, 0, 5);
    }

    private static StepResult result(long label, List<String> missing) {
        Instant start = Instant.ofEpochSecond(label * STEP);
        return new StepResult("g", 1, label, start, STEP, ResultStatus.INCOMPLETE, OptionalLong.empty(), missing,
                MEMBERS - missing.size(), start.plusSeconds(STEP + 10));
    }

    @Test
    void aTickAfterAResultLooksAtTheAbsentMembersOnly() {
        GroupMembership membership = new GroupMembership(settings(METERS), new InMemoryJournal());
        long before = membership.plannedOver();
        for (long label = 100; label < 110; label++) {
            membership.onResult(result(label, label % 2 == 0 ? List.of("m003", "m050") : List.of("m050")), METERS);
            membership.due(2 + label, List.of(), T0.plusSeconds(label)); // the core's tick; m050 is dropped at its third miss
        }
        assertTrue(membership.plannedOver() - before <= 10 * 2, "at most the two absent members per tick, not all "
                + MEMBERS + ": " + (membership.plannedOver() - before));
    }

    @Test
    void theDecisionsAreThoseOfPlanningOverEveryMember() {
        GroupMembership membership = new GroupMembership(settings(METERS), new InMemoryJournal());
        // m003 misses twice, then reports: its misses are cleared; m050 misses three in a row: dropped
        membership.onResult(result(100, List.of("m003", "m050")), METERS);
        membership.onResult(result(101, List.of("m003", "m050")), METERS);
        assertTrue(membership.due(2, List.of(), T0).isEmpty());
        membership.onResult(result(102, List.of("m050")), METERS);
        GroupSettings next = membership.due(2, List.of(), T0).orElseThrow();
        assertEquals(MEMBERS - 1, next.members().size());
        assertTrue(!next.members().contains("m050") && next.members().contains("m003"), next.members().toString());
        membership.onResult(result(103, List.of("m003")), METERS.stream().filter(m -> !m.equals("m050")).toList());
        membership.onResult(result(104, List.of("m003")), METERS.stream().filter(m -> !m.equals("m050")).toList());
        assertTrue(membership.due(3, List.of(), T0.plusSeconds(1)).isEmpty(), "m003's earlier misses were cleared by its report");

        // a member a stalled key setup waits for is dropped though it never missed a step
        GroupSettings afterStall = membership.due(3, List.of("m010"), T0.plusSeconds(2)).orElseThrow();
        assertTrue(!afterStall.members().contains("m010"), afterStall.members().toString());

        // a member removed from the configuration while it had misses is not planned over (nor dropped)
        List<String> without3 = METERS.stream().filter(m -> !m.equals("m003")).toList();
        membership.configure(settings(without3), 4, T0.plusSeconds(3));
        List<String> epoch = without3.stream().filter(m -> !m.equals("m050") && !m.equals("m010")).toList();
        membership.onResult(result(105, List.of()), epoch);
        assertTrue(membership.due(5, List.of(), T0.plusSeconds(4)).isEmpty());
        assertEquals(List.of(MembershipEvent.Change.DROPPED, MembershipEvent.Change.DROPPED, MembershipEvent.Change.REMOVED),
                membership.snapshot().log().stream().map(MembershipEvent::change).toList());
    }
}
