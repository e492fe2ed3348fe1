package org.psametering.cli.bench.headend;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.InMemoryJournal;
import org.psametering.protocol.ResultStatus;

/**
 * The head-end core thread's membership work for one stored result of a group: {@code onResult} (count who reported,
 * bring the members' views up to date) for a group where every member reported. {@code resultThenRead} adds one
 * reader of the snapshot per result (the HTTP API or a metrics scrape after every step): what the views cost when
 * somebody looks at each one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MembershipResultBenchmark {
    private static final int STEP = 900;

    @Param({"100", "1000", "10000"})
    public int members;

    private List<String> meters;
    private GroupMembership membership;
    private long label = 1_000_000;

    @Setup
    public void setUp() {
        meters = IntStream.range(0, members).mapToObj(i -> "meter-" + i).toList();
        GroupSettings settings = new GroupSettings("bench", PsaParameters.KHPRF_2021.name(), STEP, 10, 2 * STEP, meters);
        membership = new GroupMembership(settings, new InMemoryJournal());
    }

    private StepResult nextResult() {
        label++;
        Instant start = Instant.ofEpochSecond(label * STEP);
        return new StepResult("bench", 1, label, start, STEP, ResultStatus.COMPLETE, OptionalLong.of(label), List.of(), members,
                start.plusSeconds(STEP + 10));
    }

    @Benchmark
    public GroupMembership result() {
        membership.onResult(nextResult(), meters);
        return membership;
    }

    /** The result and the core's next tick, which asks the policy whether the result makes a member due for a drop. */
    @Benchmark
    public Object resultThenTick() {
        StepResult result = nextResult();
        membership.onResult(result, meters);
        return membership.due(2, List.of(), result.recordedAt());
    }

    @Benchmark
    public GroupMembership.Snapshot resultThenRead() {
        membership.onResult(nextResult(), meters);
        return membership.snapshot();
    }
}
