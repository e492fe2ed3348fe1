package org.psametering.cli.bench.ingest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import org.psametering.cli.broker.LocalBroker;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.time.SteppedClock;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.EpochPhase;
import org.psametering.protocol.TimeSteps;

/**
 * How fast one head-end takes in blinded keys (issue 12, part 5): K keys of 48 KiB, spread over G groups of at most
 * 2 500 members (a complete-graph key set must fit the 2 MiB packet limit), all published at once through Mosquitto.
 * Measured from the first blinded key leaving the load generator to the last group announced ACTIVE, i.e. every key
 * received, its tag checked, stored (forced to disk before its ack) and folded into its group's K. Public keys,
 * certificates and key sets come first and are not measured; blinded keys are the dealer's (no pairwise masks,
 * which cancel in K: {@link DealerBlindedKeys}), sealed with each meter's real message key.
 */
final class UploadBench {
    private static final int STEP_SECONDS = 900;

    record Settings(int keys, int groups, int runs, PsaParameters params, int connections) {
    }

    private final Settings settings;
    private final PrintStream out;

    UploadBench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    boolean run() throws Exception {
        int perGroup = (settings.keys() + settings.groups() - 1) / settings.groups();
        out.printf("Blinded-key upload: %,d keys in %d groups of %,d, %s, one Mosquitto and one in-process head-end (embedded H2,"
                + " each batch forced to disk before its ack), %d runs.%n", perGroup * settings.groups(), settings.groups(), perGroup,
                settings.params().name(), settings.runs());
        double[] seconds = new double[settings.runs()];
        for (int r = 0; r < settings.runs(); r++) {
            seconds[r] = oneRun(perGroup);
            out.printf("run %d: %,d keys in %.2f s = %,.0f keys/s%n", r + 1, perGroup * settings.groups(), seconds[r],
                    perGroup * settings.groups() / seconds[r]);
        }
        double median = IngestBench.median(seconds);
        out.printf("Median: %,d blinded keys in %.2f s = %,.0f keys/s (target: 10 000 in <= 10 s).%n", perGroup * settings.groups(),
                median, perGroup * settings.groups() / median);
        return true;
    }

    private double oneRun(int perGroup) throws Exception {
        Path work = Files.createTempDirectory("psa-bench-upload-");
        try (LocalBroker broker = MosquittoBroker.start(work.resolve("mosquitto"))) {
            String url = broker.url();
            String prefix = "up-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
            List<GroupSettings> groupSettings = new ArrayList<>();
            List<BenchGroup> groups = new ArrayList<>();
            for (int g = 0; g < settings.groups(); g++) {
                String id = prefix + g;
                int first = g * perGroup;
                List<String> ids = IntStream.range(first, first + perGroup).mapToObj(i -> FleetSpec.meterId("um-", i)).toList();
                // complete graph as measured before (auto would choose sparse above 1 000 members)
                groupSettings.add(LocalHeadEndConfig.group(id, settings.params().name(), STEP_SECONDS, STEP_SECONDS / 3, ids)
                        .withMaskGraph("complete"));
                groups.add(new BenchGroup(id, settings.params(), ids));
            }
            SteppedClock clock = new SteppedClock(TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS), STEP_SECONDS).plusSeconds(1));
            List<AnnouncementWatcher> watchers = new ArrayList<>();
            try (HeadEnd headEnd = HeadEnd.start(LocalHeadEndConfig.of(work.resolve("head-end"), url, 50,
                         groupSettings.toArray(GroupSettings[]::new)), clock);
                 ParallelPublisher publisher = new ParallelPublisher(url, settings.connections())) {
                long[] epochs = new long[groups.size()];
                for (int g = 0; g < groups.size(); g++) {
                    watchers.add(new AnnouncementWatcher(url, groupSettings.get(g).id()));
                    groups.get(g).generateKeys();
                    epochs[g] = groups.get(g).publishPublicKeys(headEnd, watchers.get(g), publisher);
                }
                long start = System.nanoTime();
                long bytes = 0;
                for (BenchGroup group : groups) {
                    bytes += group.publishBlindedKeys(publisher);
                }
                double published = (System.nanoTime() - start) / 1e9;
                for (int g = 0; g < groups.size(); g++) {
                    groups.get(g).awaitActive(watchers.get(g), epochs[g]);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                checkAllActive(headEnd::groups, perGroup, java.time.Duration.ofSeconds(30));
                out.printf("  (%.1f MB; the load generator had sealed and published them all after %.2f s)%n", bytes / 1e6, published);
                return seconds;
            } finally {
                for (AnnouncementWatcher w : watchers) {
                    w.close();
                }
            }
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // left for the OS's temp cleaner
            }
        }
    }

    /**
     * Every group ACTIVE with every blinded key, as the head-end's status says. The status snapshot is refreshed at the
     * end of the core's batch, which can come after the ACTIVE announcement the run waited for: a stale snapshot is read
     * again for a while (it once aborted a run with "KEYSET_PUBLISHED with 756 of 2000"), a wrong one still fails.
     */
    static void checkAllActive(java.util.function.Supplier<List<GroupStatus>> statuses, int perGroup, java.time.Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            GroupStatus behind = null;
            for (GroupStatus status : statuses.get()) {
                if (status.phase() != EpochPhase.ACTIVE || status.blindedKeysReceived() != perGroup) {
                    behind = status;
                    break;
                }
            }
            if (behind == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("group " + behind.group() + " is " + behind.phase() + " with "
                        + behind.blindedKeysReceived() + " of " + perGroup + " blinded keys");
            }
            Thread.sleep(100);
        }
    }
}
