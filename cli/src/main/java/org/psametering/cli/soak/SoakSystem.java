package org.psametering.cli.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.broker.TcpRelay;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.mqtt.ResultWatcher;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.protocol.TimeSteps;

/**
 * The system under soak, as deployed but in one process except the broker: a real Mosquitto (child process, persistent),
 * the head-end (embedded H2) and N simulated meters on one accelerated clock. The head-end and every meter reach the
 * broker through their own {@link TcpRelay}, so each link can be cut alone; the result watcher connects directly.
 */
final class SoakSystem implements AutoCloseable {
    static final String GROUP = "soak-feeder";
    static final String ID_PREFIX = "house-";
    /**
     * Persistence saved after every change, not only on a clean stop: even a SIGKILL then loses at most what arrived since
     * the last save. Every packet is logged, so a failure can be traced message by message.
     */
    private static final String BROKER_CONFIG = """
            autosave_interval 1
            autosave_on_changes true
            log_type all
            """;

    final Path dir;
    final SoakSettings settings;
    final MosquittoBroker broker;
    final TcpRelay headEndLink;
    final List<TcpRelay> meterLinks;
    final AcceleratedClock clock;
    final GroupSettings group;
    final HeadEnd headEnd;
    final ResultWatcher results;
    final HostileClient hostile;
    final SimulatedFleet fleet;

    private SoakSystem(Path dir, SoakSettings settings, MosquittoBroker broker, TcpRelay headEndLink, List<TcpRelay> meterLinks,
                       AcceleratedClock clock, GroupSettings group, HeadEnd headEnd, ResultWatcher results, HostileClient hostile,
                       SimulatedFleet fleet) {
        this.dir = dir;
        this.settings = settings;
        this.broker = broker;
        this.headEndLink = headEndLink;
        this.meterLinks = meterLinks;
        this.clock = clock;
        this.group = group;
        this.headEnd = headEnd;
        this.results = results;
        this.hostile = hostile;
        this.fleet = fleet;
    }

    static SoakSystem start(Path dir, SoakSettings s) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), BROKER_CONFIG);
            started.add(broker);
            TcpRelay headEndLink = new TcpRelay(broker.port());
            started.add(headEndLink);
            List<TcpRelay> meterLinks = new ArrayList<>();
            for (int i = 0; i < s.meters(); i++) {
                TcpRelay link = new TcpRelay(broker.port());
                started.add(link);
                meterLinks.add(link);
            }
            Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), SoakSettings.STEP_SECONDS) + 1, SoakSettings.STEP_SECONDS);
            AcceleratedClock clock = AcceleratedClock.startingAt(origin,
                    AcceleratedClock.speedupFor(Duration.ofSeconds(SoakSettings.STEP_SECONDS), s.realStep()));
            Duration tick = Duration.ofMillis(Math.max(10, s.realStep().toMillis() / 40));
            GroupSettings group = group(s);
            HeadEnd headEnd = HeadEnd.start(LocalHeadEndConfig.of(dir.resolve("head-end"), headEndLink.url(), (int) tick.toMillis(), group), clock);
            started.add(headEnd);
            ResultWatcher results = ResultWatcher.start(broker.url(), GROUP);
            started.add(results);
            // before the meters start, so it overhears the key setup too (blinded keys are sent only then)
            HostileClient hostile = HostileClient.connect(broker.url(), GROUP, group.members(), s.params());
            started.add(hostile);
            FleetSpec spec = new FleetSpec(s.meters(), GROUP, broker.url(), s.seed(), dir.resolve("meters"), clock, tick, ID_PREFIX);
            SimulatedFleet fleet = SimulatedFleet.empty(spec);
            started.add(fleet);
            for (int i = 0; i < s.meters(); i++) {
                fleet.startMeter(i, meterLinks.get(i).url());
            }
            return new SoakSystem(dir, s, broker, headEndLink, meterLinks, clock, group, headEnd, results, hostile, fleet);
        } catch (IOException e) {
            closeAll(started);
            throw new UncheckedIOException("cannot start the soak's links: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /**
     * Deadline a third of a step (the default); the late window covers the whole run, so no ciphertext the head-end stored
     * is purged before the final accounting and "stored or part of a result" can be checked exactly.
     */
    private static GroupSettings group(SoakSettings s) {
        List<String> members = IntStream.range(0, s.meters()).mapToObj(i -> FleetSpec.meterId(ID_PREFIX, i)).toList();
        long lateWindowSteps = Math.max(96, s.faultPhaseSteps() * 2 + 200);
        return new GroupSettings(GROUP, s.params().name(), SoakSettings.STEP_SECONDS, SoakSettings.STEP_SECONDS / 3,
                Math.toIntExact(Math.min(Integer.MAX_VALUE / SoakSettings.STEP_SECONDS, lateWindowSteps) * SoakSettings.STEP_SECONDS),
                members);
    }

    String meterUrl(int index) {
        return meterLinks.get(index).url();
    }

    Path headEndDataDir() {
        return dir.resolve("head-end");
    }

    /** Stops the meters (no new readings), keeping everything else up for the final results. */
    void stopMeters() {
        fleet.close();
    }

    /** Stops the head-end (its database is then free for the final accounting), the watcher, links and broker. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(broker);
        parts.add(headEndLink);
        parts.addAll(meterLinks);
        parts.add(headEnd);
        parts.add(results);
        parts.add(hostile);
        parts.add(fleet);
        closeAll(parts);
    }

    /** Closes in reverse order of start; a failure to close one part must not keep the others running. */
    private static void closeAll(List<AutoCloseable> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                // tearing down: the run's verdict is already decided, and a leftover child process is what matters most
            }
        }
    }
}
