package org.psametering.headend.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
 * The members' views are built for readers, not for every stored result: a result costs the core thread no work
 * proportional to the group's size beyond counting who reported, and a snapshot read after any number of results
 * shows the same as one built after each of them.
 */
class GroupMembershipViewsTest {
    private static final int STEP = 60;
    private static final int MEMBERS = 100;
    private static final List<String> METERS = IntStream.rangeClosed(1, MEMBERS).mapToObj(i -> String.format("m%03d", i)).toList();

    private static GroupMembership membership() {
        GroupSettings settings = new GroupSettings("g", PsaParameters.KHPRF_2021.name(), STEP, 10, 20 * STEP, METERS)
                .withMembershipPolicy(5, 3600, 5);
        return new GroupMembership(settings, new InMemoryJournal());
    }

    private static StepResult result(long label, List<String> missing) {
        Instant start = Instant.ofEpochSecond(label * STEP);
        return new StepResult("g", 1, label, start, STEP, ResultStatus.INCOMPLETE, OptionalLong.empty(), missing,
                MEMBERS - missing.size(), start.plusSeconds(STEP + 10));
    }

    @Test
    void resultsBuildNoMemberViewsUntilASnapshotIsRead() {
        GroupMembership membership = membership();
        long before = membership.viewsBuilt();
        for (long label = 100; label < 110; label++) {
            membership.onResult(result(label, List.of("m007")), METERS);
        }
        assertEquals(before, membership.viewsBuilt(), "ten results, no reader: no member view built");

        GroupMembership.Snapshot snapshot = membership.snapshot();
        assertEquals(before + MEMBERS, membership.viewsBuilt(), "one read after ten results: each member's view built once");
        MemberView absent = snapshot.members().get(6);
        assertEquals("m007", absent.meter());
        assertEquals(10, absent.consecutiveMisses());
        assertEquals(OptionalLong.empty(), absent.lastReportedLabel());
        MemberView present = snapshot.members().get(0);
        assertEquals(0, present.consecutiveMisses());
        assertEquals(OptionalLong.of(109), present.lastReportedLabel());
    }

    @Test
    void anUnchangedMembershipHandsOutTheSameSnapshotAndAResultIsSeenByTheNextRead() {
        GroupMembership membership = membership();
        membership.onResult(result(100, List.of()), METERS);
        GroupMembership.Snapshot first = membership.snapshot();
        long built = membership.viewsBuilt();

        assertSame(first, membership.snapshot(), "nothing changed: the same snapshot, no view rebuilt");
        assertEquals(built, membership.viewsBuilt());

        membership.onResult(result(101, List.of("m002")), METERS);
        GroupMembership.Snapshot second = membership.snapshot();
        assertEquals(OptionalLong.of(101), second.members().get(0).lastReportedLabel());
        assertEquals(1, second.members().get(1).consecutiveMisses());
        assertEquals(OptionalLong.of(100), second.members().get(1).lastReportedLabel());
        assertEquals(OptionalLong.of(100), first.members().get(0).lastReportedLabel(), "a snapshot handed out does not change");
    }
}
