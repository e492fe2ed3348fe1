package org.psametering.headend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.psametering.headend.config.ClusterSettings;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.store.LeaseStore;
import org.psametering.headend.store.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's part of the cluster: every {@code renewSeconds} it writes its heartbeat, renews the leases of the
 * groups it owns, and balances: it takes free or expired leases up to its fair share (configured groups / live
 * instances, rounded up) and hands back what is above it, so three instances split the groups and a survivor takes
 * them all. A lease it could not renew is dropped at once, before it expires in the database (a watch checks every
 * 250 ms, apart from the renewal thread, which may hang on the database): the instance stops hearing and collecting
 * the group, says so in the log, /health and {@code psa_cluster_leases_lost_total}. Whatever it drops too late, the
 * fence in the result store stops.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ClusterSettings settings;
    private final LeaseStore leases;
    private final GroupHandover handover;
    private final Map<String, Long> tokens;
    private final java.util.function.Supplier<List<String>> sessionsDown;
    private final Map<String, GroupSettings> configured = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ScheduledExecutorService renewer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("psa-lease-keeper").daemon().factory());
    private final ScheduledExecutorService watch =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("psa-lease-watch").daemon().factory());
    private final AtomicLong takeovers = new AtomicLong();
    private final AtomicLong leasesLost = new AtomicLong();
    /** System.nanoTime() before which the leases last renewed are certainly still ours. */
    private volatile long validUntilNanos = Long.MIN_VALUE;
    private volatile int liveInstances = 1;
    private volatile String lastProblem;
    private volatile boolean closed;

    /** {@code tokens}: the owned groups' fencing tokens, shared with the result store's fence and {@code handover}. */
    LeaseKeeper(ClusterSettings settings, LeaseStore leases, GroupHandover handover, Map<String, Long> tokens, List<GroupSettings> groups,
                java.util.function.Supplier<List<String>> sessionsDown) {
        this.sessionsDown = sessionsDown;
        this.settings = settings;
        this.leases = leases;
        this.handover = handover;
        this.tokens = tokens;
        groups.forEach(g -> configured.put(g.id(), g));
    }

    /** Runs the first round (waiting for it, so a lone instance owns its groups when it has started), then the schedule. */
    void start() {
        try {
            renewer.submit(this::round).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("cluster: first lease round did not finish: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        renewer.scheduleWithFixedDelay(this::round, settings.renewSeconds(), settings.renewSeconds(), TimeUnit.SECONDS);
        watch.scheduleWithFixedDelay(this::checkExpiry, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** A changed configuration: applied to the owned groups now, to the others when taken. */
    void configure(List<GroupSettings> groups) {
        for (GroupSettings group : groups) {
            configured.put(group.id(), group);
            if (tokens.containsKey(group.id())) {
                handover.reconfigure(group);
            }
        }
    }

    private void round() {
        if (closed) {
            return;
        }
        long started = System.nanoTime();
        try {
            leases.heartbeat();
            Map<String, Long> held = Map.copyOf(tokens);
            java.util.Set<String> renewed = leases.renew(held);
            synchronized (this) {
                validUntilNanos = started + TimeUnit.SECONDS.toNanos(settings.leaseSeconds());
                for (String group : held.keySet()) {
                    if (!renewed.contains(group) && tokens.containsKey(group)) {
                        lose(group, "its lease was taken by another instance");
                    }
                }
            }
            balance();
            lastProblem = null;
        } catch (StorageException e) {
            lastProblem = "cannot renew leases: " + e.getMessage();
            LOG.warn("cluster: {}", lastProblem);
        } catch (RuntimeException e) {
            lastProblem = "lease round failed: " + e;
            LOG.error("cluster: {}", lastProblem, e);
        }
    }

    private void balance() {
        int live = Math.max(1, leases.liveInstances());
        liveInstances = live;
        List<String> groups;
        synchronized (configured) {
            groups = new ArrayList<>(configured.keySet());
        }
        int share = (groups.size() + live - 1) / live;
        int owned = tokens.size();
        if (owned > share) {
            // hand back what is above the fair share (another instance joined): the newest taken last in the list
            List<String> mine = new ArrayList<>(tokens.keySet());
            Collections.sort(mine);
            for (String group : mine.subList(share, mine.size())) {
                Long token = tokens.get(group);
                if (token == null) {
                    continue;
                }
                synchronized (this) {
                    handover.drop(group);
                }
                leases.release(Map.of(group, token));
                LOG.info("cluster: handed group {} back ({} live instances, fair share {})", group, live, share);
            }
            return;
        }
        if (owned == share) {
            return;
        }
        Map<String, Boolean> heldByOthers = leases.heldByOthers();
        List<String> candidates = new ArrayList<>(groups.stream()
                .filter(g -> !tokens.containsKey(g) && !heldByOthers.getOrDefault(g, false)).toList());
        Collections.shuffle(candidates); // instances starting together try different groups first
        for (String group : candidates) {
            if (tokens.size() >= share || closed) {
                return;
            }
            OptionalLong token = leases.acquire(group);
            if (token.isEmpty()) {
                continue; // another instance was faster
            }
            long begin = System.nanoTime();
            try {
                synchronized (this) {
                    handover.take(configured.get(group), token.getAsLong());
                }
                takeovers.incrementAndGet();
                LOG.info("cluster: took over group {} (fencing token {}) in {} ms: state loaded, session subscribed", group,
                        token.getAsLong(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            } catch (RuntimeException e) {
                LOG.error("cluster: cannot take over group {}, lease given back: {}", group, e.getMessage());
                leases.release(Map.of(group, token.getAsLong()));
            }
        }
    }

    /** On the watch thread: leases not renewed in time are dropped before they expire in the database. */
    private void checkExpiry() {
        if (tokens.isEmpty() || System.nanoTime() - validUntilNanos < 0) {
            return;
        }
        synchronized (this) {
            if (System.nanoTime() - validUntilNanos < 0) {
                return;
            }
            for (String group : List.copyOf(tokens.keySet())) {
                lose(group, "its lease could not be renewed within " + settings.leaseSeconds() + " s"
                        + (lastProblem == null ? "" : " (" + lastProblem + ")"));
            }
        }
    }

    private void lose(String group, String why) {
        leasesLost.incrementAndGet();
        LOG.error("cluster: group {} dropped: {}; this instance stopped collecting it, another takes it over", group, why);
        handover.lost(group);
    }

    int groupsOwned() {
        return tokens.size();
    }

    long takeovers() {
        return takeovers.get();
    }

    long leasesLost() {
        return leasesLost.get();
    }

    /** The cluster section of /health: DOWN while renewals fail or an owned group's session is down. */
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        String problem = lastProblem;
        state.put("instanceId", settings.instanceId());
        List<String> down = sessionsDown.get();
        if (problem == null && !down.isEmpty()) {
            problem = "MQTT sessions of owned groups down (reconnecting): " + down;
        }
        state.put("up", problem == null);
        state.put("groupsOwned", new ArrayList<>(new java.util.TreeSet<>(tokens.keySet())));
        state.put("liveInstances", liveInstances);
        state.put("takeovers", takeovers.get());
        state.put("leasesLost", leasesLost.get());
        if (problem != null) {
            state.put("reason", problem);
        }
        return state;
    }

    /** A clean stop: the groups are handed back at once, so the others need not wait for the leases to expire. */
    @Override
    public void close() {
        closed = true;
        renewer.shutdownNow();
        watch.shutdownNow();
        Map<String, Long> held = Map.copyOf(tokens);
        synchronized (this) {
            held.keySet().forEach(handover::drop);
        }
        try {
            leases.release(held);
            leases.leave();
        } catch (StorageException e) {
            LOG.warn("cluster: leases not released (they expire in {} s): {}", settings.leaseSeconds(), e.getMessage());
        }
    }

    static Map<String, Long> newTokenMap() {
        return new ConcurrentHashMap<>();
    }
}
