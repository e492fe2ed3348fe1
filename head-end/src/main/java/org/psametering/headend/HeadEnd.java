package org.psametering.headend;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.http.HttpApi;
import org.psametering.headend.http.HttpSecurity;
import org.psametering.protocol.BrokerUrls;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.mqtt.MqttTransport;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.CounterStore;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.GroupFence;
import org.psametering.headend.store.MembershipStore;
import org.psametering.headend.store.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running head-end: database, core thread, MQTT connection and HTTP API. The entry point for embedding (the demo
 * starts it in-process) and what {@link HeadEndMain} runs.
 *
 * <pre>{@code
 * try (HeadEnd headEnd = HeadEnd.start(config, clock)) {
 *     headEnd.addResultListener(result -> ...);
 *     headEnd.results("feeder-1", from, to);
 * }
 * }</pre>
 */
public final class HeadEnd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeadEnd.class);

    private final Database database;
    private final HeadEndCore core;
    /** Drops blinded keys no longer needed after an activation, so the core thread never waits for it. */
    private final ExecutorService keyDrops;
    private final CoreLoop loop;
    private final MqttTransport transport;
    private final HttpApi http;
    private final ConfigReloader reloader;
    /** Several head-ends: this one's leases and per-group sessions; null for a single head-end. */
    private final ClusterNode cluster;

    private HeadEnd(Database database, HeadEndCore core, ExecutorService keyDrops, CoreLoop loop, MqttTransport transport, HttpApi http,
                    ConfigReloader reloader, ClusterNode cluster) {
        this.cluster = cluster;
        this.keyDrops = keyDrops;
        this.reloader = reloader;
        this.database = database;
        this.core = core;
        this.loop = loop;
        this.transport = transport;
        this.http = http;
    }

    /**
     * Starts in an order that publishes nothing until everything local is up: opens the database, binds the HTTP API,
     * restores every configured group (their announcements and key sets wait in the MQTT outbox), starts the core
     * thread, and only then connects to the broker (waiting up to 10 s), subscribes and publishes. A head-end that
     * cannot start (busy HTTP port, unreachable database) therefore never announces a fresh key over a running one's.
     * Throws with a clear message if any step fails.
     */
    public static HeadEnd start(HeadEndConfig config, Clock clock) {
        return start(config, clock, () -> {
            throw new ConfigException("this head-end was started without a configuration file to reload");
        });
    }

    /**
     * As {@link #start(HeadEndConfig, Clock)}; {@code reloadSource} reads the configuration again for a reload
     * ({@link #reload}, SIGHUP, {@code POST /admin/reload}) and throws {@link ConfigException} if it is invalid.
     */
    public static HeadEnd start(HeadEndConfig config, Clock clock, Supplier<HeadEndConfig> reloadSource) {
        if (config.trust() == null) {
            throw new ConfigException("trust: not configured (identity key, certificate, CA certificate): the head-end signs"
                    + " what meters act on and checks their certificates, always; see ./psa pki");
        }
        HeadEndTrust trust = config.trust().load(clock);
        Database database = Database.open(config.storage(), config.dataDir());
        ExecutorService keyDrops = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("psa-head-end-key-drop").factory());
        HeadEndCore created = null;
        MqttTransport transport = null;
        CoreLoop loop = null;
        HttpApi http = null;
        ClusterNode node = null;
        try {
            AtomicReference<CoreLoop> loopRef = new AtomicReference<>();
            Consumer<InboundMessage> sink = m -> loopRef.get().submit(m);
            node = config.cluster() == null ? null : ClusterNode.open(config, database);
            // several head-ends: this instance's own link only publishes; it hears each owned group on that group's session
            transport = node == null ? new MqttTransport(config.mqtt(), sink) : new MqttTransport(node.instanceLink(), sink, List.of());
            MqttTransport link = transport;
            GroupFence fence = node == null ? GroupFence.NONE : node.fence();
            ResultStore resultStore = new ResultStore(database, fence);
            HeadEndCore core = new HeadEndCore(clock, new EpochStore(database, fence), new CiphertextStore(database, fence), resultStore,
                    new CounterStore(database), new MembershipStore(database),
                    new PerEpochAnnouncements(new SigningPublisher(transport, trust.identity())), new SecureRandom(), trust.members(),
                    keyDrops, BlindedKeyCleanup.DEFAULT_CHUNK);
            created = core;
            loop = new CoreLoop(core, config.tickMillis());
            loopRef.set(loop);
            CoreLoop groupsLoop = loop;
            ClusterNode cluster = node;
            ConfigReloader reloader = new ConfigReloader(config, reloadSource, cluster != null ? cluster::configure
                    : groups -> groupsLoop.await("groups " + groups.stream().map(GroupSettings::id).toList(), () -> groups.forEach(core::reconfigure)));
            reloader.alsoOnReload(trust.members()::refresh); // a new CRL file counts from this reload on
            HeadEndMetrics metrics = new HeadEndMetrics(core.rejections(), core.counters(), core::statuses, link::status,
                    core.storageHealth());
            metrics.reloads(reloader);
            metrics.memberships(core::memberships);
            List<org.psametering.protocol.trust.CrlFileTrust> crlFiles = new java.util.ArrayList<>();
            if (trust.members() instanceof org.psametering.protocol.trust.CrlFileTrust watched) {
                crlFiles.add(watched);
            }
            transport.tlsCrl().ifPresent(crlFiles::add);
            CrlWatch crls = new CrlWatch(crlFiles);
            metrics.crls(crls);
            core.addListener(metrics::stepRecorded);
            http = config.http().enabled()
                    ? new HttpApi(config.http().bindAddress(), config.http().port(), core::statuses, core.results(), core.rejections(),
                    metrics::scrape, link::status, core.storageHealth(), clock, core::memberships, () -> reloader.reload("POST /admin/reload"),
                    HttpSecurity.from(config.http()))
                    : null;
            if (http != null) {
                http.showCrls(crls);
            }
            CoreLoop coreLoop = loop;
            // after every (re)subscription: retained state first (a broker without persistence lost it), then the queue
            transport.onSubscribed(() -> coreLoop.execute(() -> {
                core.republishAll();
                link.drain();
            }));
            transport.onDrainable(() -> coreLoop.execute(link::drain));
            if (node != null) {
                node.attach(core, loop, sink, metrics, http, transport.tls());
            }
            // groups open on this thread before the loop starts (Thread.start orders it before the loop's work); with
            // several head-ends the lease keeper opens those this instance takes, once the link is up
            if (node == null) {
                for (GroupSettings group : config.groups()) {
                    core.reconfigure(group);
                }
            }
            loop.start();
            transport.start(10);
            if (node != null) {
                node.start();
                LOG.info("cluster: instance {} owns {} of {} group(s)", node.instanceId(), node.groupsOwned(), config.groups().size());
            }
            LOG.info("head-end started: {} group(s), broker {}, storage {}, HTTP {}", config.groups().size(), config.mqtt().broker(),
                    database.isEmbedded() ? "embedded H2 in " + config.dataDir() : "PostgreSQL",
                    http == null ? "off" : (config.http().tls() != null ? "https://" : "http://") + config.http().bindAddress() + ":"
                            + http.port() + (config.http().tokenFile() != null ? " (access token required)" : ""));
            if (http != null && config.http().tokenFile() == null
                    && !BrokerUrls.isLoopback("http://" + config.http().bindAddress())) {
                LOG.warn("the HTTP API listens on {} without an access token: anyone who reaches it reads every result;"
                        + " set http.tokenFile (and http.tls)", config.http().bindAddress());
            }
            return new HeadEnd(database, core, keyDrops, loop, transport, http, reloader, node);
        } catch (RuntimeException e) {
            if (node != null) {
                node.close();
            }
            if (http != null) {
                http.close();
            }
            if (loop != null) {
                loop.close();
            }
            if (transport != null) {
                transport.close();
            }
            stopKeyDrops(created, keyDrops);
            database.close();
            throw e;
        }
    }

    /** Called on the core thread right after each result is stored. */
    public void addResultListener(ResultListener listener) {
        core.addListener(listener);
    }

    /** Stored results of a group whose step starts in [from, to). */
    public List<StepResult> results(String group, Instant from, Instant to) {
        return core.results().between(group, from, to);
    }

    public List<GroupStatus> groups() {
        return core.statuses();
    }

    public Map<RejectReason, Long> rejections() {
        return core.rejections().snapshot();
    }

    public IngestCounters counters() {
        return core.counters();
    }

    /** False while database writes fail (e.g. a full disk): for /health. */
    public boolean storageHealthy() {
        return core.storageHealth().healthy();
    }

    /** The HTTP API's port (useful with port 0), or -1 if the API is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** True when connected to the broker and subscribed (what /health calls UP). */
    public boolean mqttConnected() {
        return transport.isConnected();
    }

    /** The MQTT link as /health reports it. */
    public LinkStatus mqttStatus() {
        return transport.status();
    }

    /**
     * Adds a group or applies changed settings (a changed member list starts a new epoch and re-key); waits until
     * the core has applied it.
     */
    public void updateGroup(GroupSettings settings) {
        settings.requireServableGraph();
        if (cluster != null) {
            cluster.configure(List.of(settings));
            return;
        }
        loop.await("group " + settings.id(), () -> core.reconfigure(settings));
    }

    /**
     * Reads the configuration again and applies changed groups (see {@link ConfigReloader}); an invalid file is
     * refused and the running configuration stays. What SIGHUP and {@code POST /admin/reload} call.
     */
    public ReloadResult reload(String trigger) {
        return reloader.reload(trigger);
    }

    /** Every group's membership: configured members with their state, and the recent changes. */
    public List<GroupMembership.Snapshot> memberships() {
        return core.memberships();
    }

    /**
     * Stops ingest (unprocessed messages stay unacknowledged at the broker), then MQTT, HTTP and the database. With
     * several head-ends it first hands its groups back (sessions left, leases released) so the others take them at once.
     */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
        if (http != null) {
            http.close();
        }
        loop.close();
        transport.close();
        stopKeyDrops(core, keyDrops);
        database.close();
        LOG.info("head-end stopped");
    }

    /**
     * Lets the drop of blinded keys finish the chunk it is in (no interrupt: it would close H2's file channel), before
     * the database closes; the rest is dropped after the next start.
     */
    private static void stopKeyDrops(HeadEndCore core, ExecutorService keyDrops) {
        if (core != null) {
            core.stopKeyDrops();
        }
        keyDrops.shutdown();
        try {
            if (!keyDrops.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the drop of blinded keys still runs 10 s after close; the database closes under it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
