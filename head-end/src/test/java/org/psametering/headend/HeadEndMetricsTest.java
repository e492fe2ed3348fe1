package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.mqtt.LinkStatus;

class HeadEndMetricsTest {
    private static final GroupStatus GROUP =
            new GroupStatus("g", 0, EpochPhase.ACTIVE, "p", 900, List.of("a"), 1, 1, OptionalLong.of(5), List.of(0L), 7);
    private static final LinkStatus UP = new LinkStatus(true, true, null, 0, 3, 0, 0);

    @Test
    void prometheusScrapeCarriesTheCoreCounters() {
        RejectionCounters rejections = new RejectionCounters();
        rejections.count(RejectReason.FORGED);
        rejections.count(RejectReason.FORGED);
        IngestCounters counters = new IngestCounters();
        counters.accepted(41);
        String scrape = new HeadEndMetrics(rejections, counters, () -> List.of(GROUP), () -> UP).scrape();
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"FORGED\"} 2.0"), scrape);
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"MALFORMED\"} 0.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_accepted_total 41.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_pending 7.0"), scrape);
        assertTrue(scrape.contains("psa_groups 1.0"), scrape);
    }

    /**
     * Micrometer holds a gauge's or function counter's object only weakly. The metrics must hold the suppliers and
     * counters they were given, or the series read NaN (or vanish) after the first garbage collection: this once made
     * CI fail one run in three and would blank the operator's dashboards a few minutes after start-up.
     */
    @Test
    void seriesStillReadTheirSourcesAfterTheCallersReferencesAreGarbageCollected() {
        List<WeakReference<Object>> sources = new java.util.ArrayList<>();
        HeadEndMetrics metrics = metricsWhoseSourcesOnlyItHolds(sources);
        // Collect until a fresh sentinel is gone: from then on, anything held only weakly is gone too.
        for (int round = 0; round < 5; round++) {
            WeakReference<Object> sentinel = new WeakReference<>(new Object());
            for (int i = 0; i < 100 && sentinel.get() != null; i++) {
                System.gc();
            }
            assertTrue(sentinel.get() == null, "the JVM did not collect a plain weakly-held object");
        }
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("psa_ciphertexts_pending 7.0"), scrape);
        assertTrue(scrape.contains("psa_groups 1.0"), scrape);
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"DUPLICATE\"} 1.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_accepted_total 3.0"), scrape);
        for (WeakReference<Object> source : sources) {
            assertTrue(source.get() != null, "a metric's source was collected although the metrics still read it");
        }
    }

    /** Built in its own frame so that no local variable of the test keeps the sources reachable. */
    private static HeadEndMetrics metricsWhoseSourcesOnlyItHolds(List<WeakReference<Object>> sources) {
        RejectionCounters rejections = new RejectionCounters();
        rejections.count(RejectReason.DUPLICATE);
        IngestCounters counters = new IngestCounters();
        counters.accepted(3);
        List<GroupStatus> snapshot = List.of(GROUP);
        Supplier<List<GroupStatus>> groups = () -> snapshot; // capturing: a fresh object, as core::statuses is
        sources.add(new WeakReference<>(rejections));
        sources.add(new WeakReference<>(counters));
        LinkStatus status = new LinkStatus(true, true, null, 0, 3, 0, 0);
        Supplier<LinkStatus> link = () -> status;
        sources.add(new WeakReference<>(groups));
        sources.add(new WeakReference<>(link));
        return new HeadEndMetrics(rejections, counters, groups, link);
    }

    /** The suppliers are lambdas only the metrics reference: a weakly held gauge would read NaN after a collection. */
    @Test
    void theMqttLinkMetricsSurviveGarbageCollection() {
        LinkStatus down = new LinkStatus(true, false, "session taken over by another client with id x", 2, 5, 4, 1);
        GroupStatus group = new GroupStatus("g", 0, EpochPhase.ACTIVE, "p", 900, List.of("a"), 1, 1, OptionalLong.of(5), List.of(0L), 7);
        HeadEndMetrics metrics = new HeadEndMetrics(new RejectionCounters(), new IngestCounters(), () -> List.of(group), () -> down);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("psa_mqtt_connected 1.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_subscribed 0.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_session_takeovers_total 2.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_reconnects_total 5.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_outbox 4.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_outbox_dropped_total 1.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_pending 7.0"), scrape);
        assertTrue(scrape.contains("psa_groups 1.0"), scrape);
    }

    /** Step latency: from the end of a step until its result was recorded; and how many groups are in each phase. */
    @Test
    void stepLatencyAndGroupPhasesAreExported() {
        HeadEndMetrics metrics = new HeadEndMetrics(new RejectionCounters(), new IngestCounters(), () -> List.of(GROUP), () -> UP);
        java.time.Instant start = java.time.Instant.parse("2026-03-01T10:00:00Z");
        metrics.stepRecorded(new org.psametering.headend.core.StepResult("g", 0, 1, start, 900,
                org.psametering.protocol.ResultStatus.COMPLETE, OptionalLong.of(5), List.of(), 1, start.plusSeconds(900 + 12)));
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("psa_step_latency_seconds_count{status=\"COMPLETE\"} 1"), scrape);
        assertTrue(scrape.contains("psa_step_latency_seconds_sum{status=\"COMPLETE\"} 12.0"), scrape);
        assertTrue(scrape.contains("psa_step_latency_seconds_bucket{status=\"COMPLETE\",le=\"10.0\"} 0"), scrape);
        assertTrue(scrape.contains("psa_step_latency_seconds_bucket{status=\"COMPLETE\",le=\"30.0\"} 1"), scrape);
        assertTrue(scrape.contains("psa_groups_in_phase{phase=\"ACTIVE\"} 1.0"), scrape);
        assertTrue(scrape.contains("psa_groups_in_phase{phase=\"ANNOUNCED\"} 0.0"), scrape);
    }

    /** The shipped Grafana dashboard queries only series the head-end exports (it would show "No data" otherwise). */
    @Test
    void theGrafanaDashboardUsesOnlyExportedSeries() throws Exception {
        HeadEndMetrics metrics = new HeadEndMetrics(new RejectionCounters(), new IngestCounters(), () -> List.of(GROUP), () -> UP);
        metrics.memberships(List::of);
        String scrape = metrics.scrape();
        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("..", "config", "grafana", "psa-head-end.json").toFile());
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (com.fasterxml.jackson.databind.JsonNode panel : dashboard.get("panels")) {
            for (com.fasterxml.jackson.databind.JsonNode target : panel.get("targets")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("psa_[a-z_]+").matcher(target.get("expr").asText());
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        assertTrue(used.size() >= 10, "the dashboard queries the head-end's series: " + used);
        for (String series : used) {
            assertTrue(java.util.regex.Pattern.compile("(?m)^" + series + "[{ ]").matcher(scrape).find(), series + " is not exported:\n" + scrape);
        }
    }
}
