package org.psametering.headend.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestMeter;
import org.psametering.protocol.Topics;

/**
 * Measures the core's ingest rate (topic parse, MAC check, decode, batched durable insert, ack, aggregation) without
 * a broker. Not a test: a measurement you run by hand (see the head-end report for the command).
 *
 * <p>args: groups, members per group, steps, batch size, [jdbc url]
 */
public final class IngestThroughput {
    public static void main(String[] args) throws Exception {
        int groups = Integer.parseInt(args[0]);
        int members = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        int batchSize = Integer.parseInt(args[3]);
        StorageSettings storage = args.length > 4 ? new StorageSettings(args[4], "postgres", null, 4) : StorageSettings.defaults();
        Path dir = Files.createTempDirectory("ingest-bench");
        int step = 60;
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
        List<GroupSettings> settings = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            List<String> ids = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                ids.add(String.format("m%05d", m));
            }
            settings.add(new GroupSettings("g" + g, PsaParameters.DEFAULT.name(), step, 30, (steps + 10) * step, ids));
        }
        try (CoreHarness h = new CoreHarness(storage, dir, clock, settings.toArray(GroupSettings[]::new))) {
            long setupStart = System.nanoTime();
            List<Map<String, TestMeter>> meters = new ArrayList<>();
            for (GroupSettings g : settings) {
                meters.add(h.setUpKeys(g.id()));
            }
            System.out.printf("key setup: %d groups x %d members in %.1f s%n", groups, members, (System.nanoTime() - setupStart) / 1e9);
            long first = h.announcement("g0").activeFromLabel().orElseThrow();
            // every meter encrypts in advance: only the head-end's work is timed
            List<InboundMessage> all = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                for (int g = 0; g < groups; g++) {
                    for (TestMeter meter : meters.get(g).values()) {
                        all.add(new InboundMessage(Topics.ciphertext("g" + g, 0, meter.id()), meter.ciphertextPayload(first + s, 100 + s),
                                h.acks::incrementAndGet));
                    }
                }
            }
            clock.set(Instant.ofEpochSecond((first + steps) * step + 1));
            int acksBefore = h.acks.get();
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < all.size(); i += batchSize) {
                h.core.process(all.subList(i, Math.min(all.size(), i + batchSize)));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("ingested %d ciphertexts in %.2f s: %.0f ciphertexts/s wall, %.0f per core-thread CPU second"
                            + " (batch %d, %s); acks %d, complete results %d, rejected %d%n",
                    all.size(), seconds, all.size() / seconds, all.size() / cpuSeconds, batchSize, h.db.isEmbedded() ? "H2" : "PostgreSQL",
                    h.acks.get() - acksBefore, h.core.counters().completeResults(), h.core.rejections().total());
        }
    }
}
