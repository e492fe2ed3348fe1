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

/** Prometheus metrics (Micrometer) over the core's own counters, so the core itself needs no metrics library. */
final class HeadEndMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    HeadEndMetrics(RejectionCounters rejections, IngestCounters counters, Supplier<List<GroupStatus>> groups) {
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
                .description("ciphertexts waiting for the rest of their time-step").register(registry);
        Gauge.builder("psa.groups", groups, g -> g.get().size()).description("managed aggregation groups").register(registry);
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
