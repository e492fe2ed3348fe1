package org.psametering.cli.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.psametering.protocol.TimeSteps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects the soak's faults and undoes each after a random outage. Every action, injection and repair, runs on one
 * thread, so the bookkeeping of what is down needs no locks and the seeded random sequence is consumed in a fixed order.
 * Outages overlap: the broker may die while a meter is offline.
 */
final class FaultInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final SoakSystem system;
    private final HostileClient hostile;
    private final Random random;
    private final FaultDeck deck;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-faults");
        t.setDaemon(true);
        return t;
    });
    private final Map<FaultKind, Long> injected = new EnumMap<>(FaultKind.class);
    private final Set<Integer> metersBusy = new HashSet<>();
    private final List<Long> brokerKillNanos = new CopyOnWriteArrayList<>();
    private boolean brokerDown;
    private boolean headEndCut;
    private long crashImages;
    private final List<String> errors = new CopyOnWriteArrayList<>();

    FaultInjector(SoakSystem system, HostileClient hostile, Random random) {
        this.system = system;
        this.hostile = hostile;
        this.random = random;
        this.deck = new FaultDeck(random, system.settings.faults());
        for (FaultKind k : FaultKind.values()) {
            injected.put(k, 0L);
        }
    }

    /** Injects the next fault of the deck (on the fault thread) and returns the real time to wait before the next one. */
    Duration injectNext() throws InterruptedException {
        try {
            return thread.submit(() -> {
                FaultKind kind = deck.next();
                inject(kind);
                return scaled(0.5, 2.0);
            }).get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("injecting a fault failed: " + e, e);
        }
    }

    private void inject(FaultKind kind) {
        try {
            boolean done = switch (kind) {
                case BROKER_KILL -> killBroker();
                case METER_CRASH -> crashMeter();
                case METER_LINK_LOSS -> cutMeterLink();
                case HEAD_END_LINK_LOSS -> cutHeadEndLink();
                case HOSTILE_BURST -> hostileBurst();
            };
            if (done) {
                injected.merge(kind, 1L, Long::sum);
            }
        } catch (RuntimeException e) {
            // a fault the harness could not inject is reported, and the run goes on with the next one
            errors.add(kind + ": " + e);
            LOG.error("soak: injecting {} failed", kind, e);
        }
    }

    private boolean killBroker() {
        if (brokerDown) {
            return false;
        }
        system.broker.kill();
        brokerKillNanos.add(System.nanoTime());
        brokerDown = true;
        LOG.warn("soak: broker killed (SIGKILL)");
        later(scaled(0.2, 2.5), () -> {
            system.broker.restart();
            brokerDown = false;
            LOG.warn("soak: broker restarted");
        });
        return true;
    }

    private boolean crashMeter() {
        int index = idleMeter();
        if (index < 0) {
            return false;
        }
        metersBusy.add(index);
        boolean image = MeterCrash.crash(system.fleet, index, system.meterLinks.get(index));
        crashImages += image ? 1 : 0;
        LOG.warn("soak: meter {} crashed ({})", system.fleet.spec().meterId(index), image ? "crash image" : "clean image: a step was encrypted meanwhile");
        later(scaled(0.1, 3.0), () -> {
            MeterCrash.restart(system.fleet, index, system.meterLinks.get(index));
            metersBusy.remove(index);
            LOG.warn("soak: meter {} restarted", system.fleet.spec().meterId(index));
        });
        return true;
    }

    private boolean cutMeterLink() {
        int index = idleMeter();
        if (index < 0) {
            return false;
        }
        metersBusy.add(index);
        system.meterLinks.get(index).cut();
        LOG.warn("soak: link of meter {} cut", system.fleet.spec().meterId(index));
        later(scaled(0.2, 4.0), () -> {
            system.meterLinks.get(index).restore();
            metersBusy.remove(index);
            LOG.warn("soak: link of meter {} restored", system.fleet.spec().meterId(index));
        });
        return true;
    }

    private boolean cutHeadEndLink() {
        if (headEndCut) {
            return false;
        }
        headEndCut = true;
        system.headEndLink.cut();
        LOG.warn("soak: head-end link cut");
        later(scaled(0.2, 4.0), () -> {
            system.headEndLink.restore();
            headEndCut = false;
            LOG.warn("soak: head-end link restored");
        });
        return true;
    }

    private boolean hostileBurst() {
        long label = TimeSteps.label(system.clock.instant(), SoakSettings.STEP_SECONDS);
        hostile.burst(random, 4 + random.nextInt(12), label);
        return true;
    }

    private int idleMeter() {
        List<Integer> idle = new ArrayList<>();
        for (int i = 0; i < system.settings.meters(); i++) {
            if (!metersBusy.contains(i)) {
                idle.add(i);
            }
        }
        return idle.isEmpty() ? -1 : idle.get(random.nextInt(idle.size()));
    }

    /** A random real duration between {@code min} and {@code max} steps. */
    private Duration scaled(double min, double max) {
        double steps = min + random.nextDouble() * (max - min);
        return Duration.ofMillis(Math.round(steps * system.settings.realStep().toMillis()));
    }

    private void later(Duration delay, Runnable repair) {
        thread.schedule(() -> {
            try {
                repair.run();
            } catch (RuntimeException e) {
                errors.add("repair: " + e);
                LOG.error("soak: repairing a fault failed", e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets every pending repair run (broker up, links restored, meters started), then stops the fault thread. */
    void healAll(Duration timeout) throws InterruptedException {
        thread.shutdown(); // delayed repairs still run: the executor's default policy
        if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("pending repairs did not finish within " + timeout);
        }
    }

    Map<FaultKind, Long> injected() {
        return new EnumMap<>(injected);
    }

    List<Long> brokerKillNanos() {
        return List.copyOf(brokerKillNanos);
    }

    /** Meter crashes whose data directory was put back to the crash image (the others restarted from a clean stop). */
    long crashImages() {
        return crashImages;
    }

    /** Faults or repairs the harness itself failed to carry out (must be empty for a meaningful run). */
    List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
