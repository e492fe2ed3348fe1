package org.psametering.headend;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultStatus;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.MemberState;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.mqtt.LinkStatus;

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
    private final Supplier<LinkStatus> link;
    private final StorageHealth storage;
    private ConfigReloader reloader;
    private Supplier<List<GroupMembership.Snapshot>> memberships;
    private final Map<ResultStatus, Timer> stepLatency = new EnumMap<>(ResultStatus.class);

    /**
     * Bucket bounds of the step latency: from well under a second (all meters on time) to the grace and recovery
     * windows of 15-minute steps.
     */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(900), Duration.ofSeconds(1800)};

    HeadEndMetrics(RejectionCounters rejections, IngestCounters counters, Supplier<List<GroupStatus>> groups, Supplier<LinkStatus> link) {
        this(rejections, counters, groups, link, new StorageHealth());
    }

    HeadEndMetrics(RejectionCounters rejections, IngestCounters counters, Supplier<List<GroupStatus>> groups, Supplier<LinkStatus> link,
                   StorageHealth storage) {
        this.rejections = rejections;
        this.storage = storage;
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
        FunctionCounter.builder("psa.results", counters, IngestCounters::recoveriesRequested).tag("status", "RECOVERING")
                .description("time-step results recorded").register(registry);
        FunctionCounter.builder("psa.results", counters, IngestCounters::recoveredResults).tag("status", "RECOVERED")
                .description("time-step results recorded").register(registry);
        FunctionCounter.builder("psa.recovery.failures", counters, IngestCounters::recoveriesFailed)
                .description("recoveries that ended INCOMPLETE (RECOVERY_UNANSWERED or RECOVERY_FAILED)").register(registry);
        FunctionCounter.builder("psa.aggregation.failures", counters, IngestCounters::aggregationFailures)
                .description("steps every member reported that could not be aggregated (INCOMPLETE, reason AGGREGATION_FAILED)")
                .register(registry);
        FunctionCounter.builder("psa.public.keys.replaced", counters, IngestCounters::publicKeysReplaced)
                .description("public keys a member replaced before its epoch's key set was fixed").register(registry);
        FunctionCounter.builder("psa.messages.held", counters, IngestCounters::heldUnjudged)
                .description("messages left unacknowledged: they name an epoch newer than any this head-end knows").register(registry);
        Gauge.builder("psa.storage.up", storage, h -> h.healthy() ? 1 : 0).strongReference(true)
                .description("1 while database writes work; 0 while they fail (ingest waits, nothing unstored is acknowledged)")
                .register(registry);
        Gauge.builder("psa.key.setup.stalled", groups, g -> g.get().stream().filter(s -> s.keySetupStalledSince().isPresent()).count())
                .strongReference(true).description("groups whose newest key setup runs longer than keySetupWarnSeconds").register(registry);
        Gauge.builder("psa.ciphertexts.pending", groups, g -> g.get().stream().mapToInt(GroupStatus::pendingCiphertexts).sum())
                .strongReference(true)
                .description("ciphertexts waiting for the rest of their time-step").register(registry);
        Gauge.builder("psa.groups", groups, g -> g.get().size()).strongReference(true).description("managed aggregation groups").register(registry);
        for (EpochPhase phase : EpochPhase.values()) {
            Gauge.builder("psa.groups.in.phase", groups, g -> g.get().stream().filter(s -> s.phase() == phase).count()).strongReference(true)
                    .tag("phase", phase.name()).description("groups whose newest epoch is in this phase (ACTIVE: aggregating)")
                    .register(registry);
        }
        for (ResultStatus status : ResultStatus.values()) {
            stepLatency.put(status, Timer.builder("psa.step.latency").tag("status", status.name())
                    .description("from the end of a time-step until its result was recorded (head-end clock)")
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
        }
        this.link = link;
        registerLink();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * The MQTT link. Gauges hold their object weakly unless told otherwise, and these suppliers are lambdas nobody
     * else references: without strong references they would read NaN after the next garbage collection.
     */
    private void registerLink() {
        Gauge.builder("psa.mqtt.connected", link, l -> l.get().connected() ? 1 : 0).strongReference(true)
                .description("1 while connected to the MQTT broker").register(registry);
        Gauge.builder("psa.mqtt.subscribed", link, l -> l.get().subscribed() ? 1 : 0).strongReference(true)
                .description("1 while connected and subscribed, i.e. able to hear meters (what /health calls UP)").register(registry);
        Gauge.builder("psa.mqtt.outbox", link, l -> l.get().outboxSize()).strongReference(true)
                .description("publications waiting for the MQTT link").register(registry);
        FunctionCounter.builder("psa.mqtt.outbox.dropped", link, l -> l.get().outboxDropped())
                .description("publications dropped because the outbox was full (results stay available over HTTP)").register(registry);
        FunctionCounter.builder("psa.mqtt.session.takeovers", link, l -> l.get().sessionTakeovers())
                .description("times another client connected with the head-end's client id and took its session").register(registry);
        FunctionCounter.builder("psa.mqtt.reconnects", link, l -> l.get().reconnects())
                .description("successful reconnections to the MQTT broker").register(registry);
    }

    /**
     * The watched CRL files: {@code psa_crl_problems} (files whose current version could not be loaded; above 0 the
     * head-end is degraded) and {@code psa_crl_reload_failures_total}.
     */
    public void crls(CrlWatch watch) {
        Gauge.builder("psa.crl.problems", watch, w -> w.problems().size()).strongReference(true)
                .description("watched CRL files whose current version could not be loaded (the previous CRL stays in force)")
                .register(registry);
        FunctionCounter.builder("psa.crl.reload.failures", watch, CrlWatch::failedReloads)
                .description("changed CRL files that could not be loaded").register(registry);
        crlWatch = watch; // Micrometer keeps the FunctionCounter's object only weakly
    }

    private CrlWatch crlWatch;

    MeterRegistry registry() {
        return registry;
    }

    /** Counts configuration reloads, applied and refused ({@code psa_config_reloads_total{outcome}}). */
    void reloads(ConfigReloader source) {
        this.reloader = source;
        FunctionCounter.builder("psa.config.reloads", source, ConfigReloader::applied).tag("outcome", "applied")
                .description("configuration reloads (SIGHUP, POST /admin/reload)").register(registry);
        FunctionCounter.builder("psa.config.reloads", source, ConfigReloader::refused).tag("outcome", "refused")
                .description("configuration reloads (SIGHUP, POST /admin/reload)").register(registry);
    }

    /** Configured members by state over all groups ({@code psa_members{state}}): dropped meters show up here. */
    void memberships(Supplier<List<GroupMembership.Snapshot>> source) {
        this.memberships = source;
        for (MemberState state : MemberState.values()) {
            Gauge.builder("psa.members", source, s -> s.get().stream().flatMap(g -> g.members().stream()).filter(m -> m.state() == state).count())
                    .strongReference(true).tag("state", state.name())
                    .description("configured members by membership state (ACTIVE, DROPPED for absence, PENDING_READMISSION)").register(registry);
        }
    }

    /** Several head-ends: this instance's groups and lease events ({@code psa_cluster_*}). */
    void cluster(LeaseKeeper keeper) {
        Gauge.builder("psa.cluster.groups.owned", keeper, LeaseKeeper::groupsOwned).strongReference(true)
                .description("groups whose lease this instance holds (it collects and aggregates only these)").register(registry);
        FunctionCounter.builder("psa.cluster.takeovers", keeper, LeaseKeeper::takeovers)
                .description("groups this instance took over (free or expired leases)").register(registry);
        FunctionCounter.builder("psa.cluster.leases.lost", keeper, LeaseKeeper::leasesLost)
                .description("groups dropped because their lease could not be renewed in time or was taken").register(registry);
    }

    /** A result was recorded (a {@link ResultListener}): how long after its step ended. */
    void stepRecorded(StepResult result) {
        Instant end = result.stepStart().plusSeconds(result.stepSeconds());
        Duration latency = Duration.between(end, result.recordedAt());
        stepLatency.get(result.status()).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** Prometheus text exposition format. */
    String scrape() {
        return registry.scrape();
    }
}
