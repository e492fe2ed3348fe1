package org.psametering.headend.crash;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.psametering.headend.HeadEndCore;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.Publisher;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.membership.InMemoryJournal;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;
import org.psametering.headend.support.TestPki;
import org.psametering.protocol.TimeSteps;

/**
 * The machinery the crash scenarios share: one head-end core over a database and a {@link FakeBroker} whose every
 * commit, publication and acknowledgement goes through the {@link CrashPoints}; a crash drops the core as it is and
 * starts a new one from the database and the broker session. The scenarios say what happens; this runs it.
 */
final class CrashLife implements AutoCloseable {
    final CrashPoints points;
    final Path dataDir;
    final Database db;
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:05Z"));
    final FakeBroker broker = new FakeBroker();
    private final Publisher publisher;
    private final List<Runnable> reactors = new ArrayList<>();
    private GroupSettings settings;
    private HeadEndCore core;
    private int restarts;
    /**
     * The drops of blinded keys the core scheduled, not yet run (its key-drop thread's queue), when {@link
     * #queueKeyDrops} was called; otherwise the core drops them on the calling thread, inside the flow that asked.
     */
    private List<Runnable> keyDrops;

    private final SecureRandom random;

    CrashLife(Path dataDir, CrashPoints points, GroupSettings settings) {
        this(dataDir, points, settings, CoreHarness.RANDOM);
    }

    /** With the head-end's randomness of the caller's (a fixed seed: every run draws the same keys and graphs). */
    CrashLife(Path dataDir, CrashPoints points, GroupSettings settings, SecureRandom random) {
        this.random = random;
        this.points = points;
        this.dataDir = dataDir;
        this.settings = settings;
        this.db = Database.open(StorageSettings.defaults(), dataDir, pool -> CrashingDataSource.wrap(pool, points));
        this.publisher = (topic, payload, retained) -> points.callUnchecked("publish", CrashPoints.site("publish", topic, payload),
                () -> broker.publish(topic, payload, retained));
    }

    /**
     * The core's drops of blinded keys are queued and run when it is otherwise idle, as by its own thread, in the flow
     * "key drop", two members per transaction (a crash can come between the chunks of one epoch); a crash loses
     * what was queued, as the process would.
     */
    void queueKeyDrops() {
        keyDrops = new ArrayList<>();
    }

    /** What reacts to the head-end's publications (the simulated meters), in order, at each round of {@link #pump}. */
    void reactWith(Runnable reactor) {
        reactors.add(reactor);
    }

    /** A SecureRandom that gives the same bytes in every run (the crash sweeps' fixed head-end draws); never for real keys. */
    static SecureRandom fixedRandom() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(20260301L); // seeded before first use: deterministic
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first start, or a planned restart (its session reconnects first); neither counts as a crash restart. */
    void start() {
        if (core != null) {
            broker.reconnect();
        }
        survive(this::open);
    }

    /** The configuration changes (e.g. a new member list: a new epoch); a restart after a crash uses it too. */
    void reconfigure(GroupSettings newSettings) {
        settings = newSettings;
        survive(() -> core.reconfigure(newSettings));
    }

    private void open() {
        core = keyDrops == null
                ? new HeadEndCore(clock, new EpochStore(db), new CiphertextStore(db), new ResultStore(db), publisher, random, TestPki.VERIFIER)
                : new HeadEndCore(clock, new EpochStore(db), new CiphertextStore(db), new ResultStore(db), null, new InMemoryJournal(),
                        publisher, random, TestPki.VERIFIER, keyDrops::add, 2);
        core.reconfigure(settings);
    }

    /** Moves the clock just past the end of {@code label} (steps of {@code step} seconds), then the meters report it. */
    void atEndOf(long label, int step, Runnable report) {
        clock.set(TimeSteps.start(label + 1, step).plusSeconds(2));
        pump();
        report.run();
        pump();
    }

    /**
     * Delivers and ticks until nothing is left to do. Messages left unacknowledged (after a failure) come again only
     * after a reconnect, as with a real broker: the session is reconnected when everything else is quiet.
     */
    void pump() {
        for (int round = 0; round < 1000; round++) {
            reactors.forEach(Runnable::run);
            if (broker.hasWork()) {
                List<InboundMessage> batch = broker.deliver(points);
                survive(() -> core.process(batch));
                continue;
            }
            if (keyDrops != null && !keyDrops.isEmpty()) {
                String flow = points.flow();
                points.flow("key drop");
                survive(keyDrops.remove(0));
                points.flow(flow);
                continue;
            }
            int published = broker.published().size();
            survive(core::tick);
            reactors.forEach(Runnable::run);
            if (!broker.hasWork() && (keyDrops == null || keyDrops.isEmpty()) && broker.published().size() == published) {
                if (broker.unacknowledged() == 0) {
                    return;
                }
                broker.reconnect();
                survive(core::republishAll);
            }
        }
        throw new IllegalStateException("no quiescence after 1000 rounds");
    }

    /** Runs work; a crash drops the core as it is and starts a new one from the database and the broker session. */
    void survive(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException failure) {
            if (!points.failing()) {
                throw failure;
            }
            // what a caller sees when a step fails (e.g. HeadEnd.updateGroup): it tries again
            work.run();
        } catch (SimulatedCrash crash) {
            restarts++;
            if (keyDrops != null) {
                keyDrops.clear(); // the process died with its queue
            }
            broker.reconnect();
            survive(this::open);
        }
    }

    HeadEndCore core() {
        return core;
    }

    /** Restarts caused by a crash. */
    int restarts() {
        return restarts;
    }

    @Override
    public void close() {
        db.close();
    }
}
