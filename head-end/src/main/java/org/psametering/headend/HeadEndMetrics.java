package org.psametering.headend;

import java.util.function.Supplier;
import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.RejectionCounters;

/**
 * Prometheus metrics (Micrometer) over the core's own counters, so the core itself needs no metrics library.
 *
 * <p>Micrometer holds the object behind a {@code Gauge} or {@code FunctionCounter} only through a weak reference. A
 * source that nothing else holds (a method reference such as {@code core::statuses} is a fresh object) is collected at
 * the next GC, and its series reads NaN from then on. So gauges are built with {@code strongReference(true)} and this
 * class keeps every source in a field; whoever serves {@link #scrape()} holds this object.
 */
final class HeadEndMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RejectionCounters rejections;
    private final IngestCounters counters;
    private final Supplier<List<GroupStatus>> groups;

    HeadEndMetrics(RejectionCounters rejections, IngestCounters counters, Supplier<List<GroupStatus>> groups) {
        this.rejections = rejections;
        this.counters = counters;
        this.groups = groups;
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("psa.messages.rejected", rejections, r -> r.get(reason))
                    .description("inbound messages refused, by reason").tag("reason", reason.name()).register(registry);
        }
        FunctionCounter.builder("psa.ciphertexts.accepted", counters, IngestCounters::ciphertextsAccepted)
                .description("ciphertexts verified and durably stored").register(registry);
        FunctionCounter.builder("psa.results", counters, IngestCounters::completeResults).tag("status", "COMPLETE")
                .description("time-step results recorded").register(registry);
        FunctionCounter.builder("psa.results", counters, IngestCounters::incompleteResults).tag("status", "INCOMPLETE")
                .description("time-step results recorded").register(registry);
        Gauge.builder("psa.ciphertexts.pending", groups, g -> g.get().stream().mapToInt(GroupStatus::pendingCiphertexts).sum())
                .strongReference(true).description("ciphertexts waiting for the rest of their time-step").register(registry);
        Gauge.builder("psa.groups", groups, g -> g.get().size()).strongReference(true).description("managed aggregation groups").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition format. */
    String scrape() {
        return registry.scrape();
    }
}
