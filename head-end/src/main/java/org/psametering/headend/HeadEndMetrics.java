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
import org.psametering.headend.core.StorageHealth;

/** Prometheus metrics (Micrometer) over the core's own counters, so the core itself needs no metrics library. */
final class HeadEndMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    HeadEndMetrics(RejectionCounters rejections, IngestCounters counters, Supplier<List<GroupStatus>> groups) {
        this(rejections, counters, groups, new StorageHealth());
    }

    HeadEndMetrics(RejectionCounters rejections, IngestCounters counters, Supplier<List<GroupStatus>> groups, StorageHealth storage) {
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
        FunctionCounter.builder("psa.aggregation.failures", counters, IngestCounters::aggregationFailures)
                .description("steps every member reported that could not be aggregated (INCOMPLETE, reason AGGREGATION_FAILED)")
                .register(registry);
        FunctionCounter.builder("psa.public.keys.replaced", counters, IngestCounters::publicKeysReplaced)
                .description("public keys a member replaced before its epoch's key set was fixed").register(registry);
        FunctionCounter.builder("psa.messages.held", counters, IngestCounters::heldUnjudged)
                .description("messages left unacknowledged: they name an epoch newer than any this head-end knows").register(registry);
        Gauge.builder("psa.storage.up", storage, h -> h.healthy() ? 1 : 0)
                .description("1 while database writes work; 0 while they fail (ingest waits, nothing unstored is acknowledged)")
                .register(registry);
        Gauge.builder("psa.key.setup.stalled", groups, g -> g.get().stream().filter(s -> s.keySetupStalledSince().isPresent()).count())
                .description("groups whose newest key setup runs longer than keySetupWarnSeconds").register(registry);
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
