package org.psametering.headend.http;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.ReloadResult;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.store.ResultStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: embedded Jetty (its core API, no servlets) with a sequence of small endpoints, read-only but for
 * the loopback-only {@code POST /admin/reload}. Jetty rather than the JDK's built-in server because the JDK server
 * reads request headers on its worker threads with no read timeout: two clients that sent half a header stalled
 * every request for as long as they liked. Jetty parses headers without holding a thread, and its idle timeout
 * closes connections that stall.
 *
 * <pre>
 * GET /health                               {"status":"UP"} (200), or {"status":"DOWN","reason":"..."} (503) while
 *                                           the head-end is not connected to the broker and subscribed; UP with
 *                                           "degraded": true while a watched CRL file cannot be reloaded
 * GET /groups                               every group's state
 * GET /groups/{id}                          one group, with its members
 * GET /groups/{id}/members                  ["m1", ...]
 * GET /groups/{id}/aggregates?from=&amp;to=&amp;days=&amp;format=json|csv   results whose step starts in [from, to)
 *                                           (ISO-8601 instants or unix seconds; default: the last {@code days} (1) days)
 * GET /groups/{id}/membership               each configured member: ACTIVE / DROPPED / PENDING_READMISSION, misses
 *                                           in a row, last reported label and its step start, dropped since
 * GET /groups/{id}/membership-log           the membership changes (newest 1000), oldest first
 * GET /rejections                           rejected-message counters by reason
 * GET /metrics                              Prometheus text format
 * GET /, /ui/...                            the operator's web page (overview, group page) and its chart library
 * POST /admin/reload                        reads the configuration file again (as SIGHUP); served only to a
 *                                           client on a loopback address and without proxy headers, else 403
 * </pre>
 *
 * The endpoints form one {@link Handler} ({@link #handlers}); a wrapper goes around it through the {@code wrap}
 * argument of the main constructor. With {@code http.tokenFile} every request but {@code GET /health} needs
 * {@code Authorization: Bearer <token>} (401 otherwise); with {@code http.tls} the API speaks HTTPS only. Both live
 * in {@link HttpSecurity}, which wraps outside everything else.
 */
public final class HttpApi implements AutoCloseable {
    /** The cluster section of /health, set after start (null: a single head-end). */
    private final AtomicReference<Supplier<Map<String, Object>>> cluster = new AtomicReference<>();
    /** The watched CRL files: one that cannot be reloaded makes /health degraded. */
    private final AtomicReference<org.psametering.headend.CrlWatch> crls =
            new AtomicReference<>(org.psametering.headend.CrlWatch.NONE);
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** Closes connections idle (or stalled mid-request) this long. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** Threads that run handlers (database queries); stalled clients hold none, so a few suffice. */
    private static final int MAX_THREADS = 12;

    private final Server server;
    private final ServerConnector connector;

    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock) {
        this(bindAddress, port, ApiSources.withoutMembership(groups, results, rejections, metrics, link, storage, clock),
                UnaryOperator.identity(), IDLE_TIMEOUT);
    }

    /** With the membership views and the reload action ({@code POST /admin/reload}, loopback clients only). */
    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
                   Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload) {
        this(bindAddress, port, new ApiSources(groups, results, rejections, metrics, link, storage, clock, memberships, reload),
                UnaryOperator.identity(), IDLE_TIMEOUT);
    }

    HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
            Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock, Duration idleTimeout) {
        this(bindAddress, port, ApiSources.withoutMembership(groups, results, rejections, metrics, link, storage, clock),
                UnaryOperator.identity(), idleTimeout);
    }

    /** With HTTPS and/or an access token ({@link HttpSecurity}, built from {@code http.tls} and {@code http.tokenFile}). */
    public HttpApi(String bindAddress, int port, Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                   Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
                   Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload, HttpSecurity security) {
        this(bindAddress, port, new ApiSources(groups, results, rejections, metrics, link, storage, clock, memberships, reload),
                UnaryOperator.identity(), IDLE_TIMEOUT, security);
    }

    /**
     * @param wrap applied to the endpoints' handler before the server gets it (identity: none)
     */
    public HttpApi(String bindAddress, int port, ApiSources sources, UnaryOperator<Handler> wrap, Duration idleTimeout) {
        this(bindAddress, port, sources, wrap, idleTimeout, HttpSecurity.none());
    }

    /**
     * @param wrap     applied to the endpoints' handler, inside the access check of {@code security}
     * @param security HTTPS connector and Bearer-token guard (or {@link HttpSecurity#none()})
     */
    public HttpApi(String bindAddress, int port, ApiSources sources, UnaryOperator<Handler> wrap, Duration idleTimeout,
                   HttpSecurity security) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("psa-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        connector = security.connector(server, http);
        connector.setHost(bindAddress);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrors());
        server.setHandler(security.guard(wrap.apply(handlers(sources, cluster, crls))));
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen for HTTP on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Every endpoint, in the order they are asked; the first that owns a path answers it. */
    static Handler handlers(ApiSources sources) {
        return handlers(sources, new AtomicReference<>(), new AtomicReference<>(org.psametering.headend.CrlWatch.NONE));
    }

    private static Handler handlers(ApiSources sources, AtomicReference<Supplier<Map<String, Object>>> cluster,
                                    AtomicReference<org.psametering.headend.CrlWatch> crls) {
        return new Handler.Sequence(new AdminEndpoint(sources.reload()), new ReadOnlyGuard(), new HealthEndpoints(sources, cluster, crls),
                new GroupEndpoints(sources), new AggregatesEndpoint(sources), new StaticUi(), new NotFoundEndpoint());
    }

    /**
     * With several head-ends: /health also shows this instance's part ({@code cluster}: instance, groups owned,
     * leases lost), and is DOWN while {@code state} says {@code "up": false}.
     */
    public void showCluster(Supplier<Map<String, Object>> state) {
        cluster.set(state);
    }

    /** The CRL files to show in /health: one whose current version could not be loaded makes it degraded. */
    public void showCrls(org.psametering.headend.CrlWatch watch) {
        crls.set(watch);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP stop: {}", e.toString());
        }
    }
}
