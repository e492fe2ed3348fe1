package org.psametering.cli.simulate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.sim.StepDrops;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.meter.MeterHandle;
import org.psametering.meter.agent.MeterStats;
import org.psametering.meter.config.ConfigException;
import org.psametering.meter.config.MqttSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code psa simulate}: N simulated household meters against an external broker and head-end, until Ctrl-C. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run N simulated household meters (one MQTT client each) against an external broker and head-end.",
                "Meter ids are <id-prefix>001, <id-prefix>002, ...; list them as the group's members in the head-end's config.",
                "Runs until interrupted (Ctrl-C), printing a status line now and then."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--meters", required = true, description = "Number of simulated meters.")
    int meters;

    @Option(names = "--broker", required = true, description = "MQTT broker URL, e.g. tcp://127.0.0.1:1883.")
    String broker;

    @Option(names = "--group", defaultValue = "feeder-1", description = "Group the meters join. Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--id-prefix", defaultValue = "meter-", description = "Meter id prefix. Default: ${DEFAULT-VALUE}.")
    String idPrefix;

    @Option(names = "--data-dir", description = "Directory for the meters' state (one sub-directory each); in memory if absent.")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "1", description = "First household seed (meter i uses seed+i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--speedup", defaultValue = "1",
            description = "Run the meters' clock this many times faster than real time (the head-end must use the same). Default: ${DEFAULT-VALUE}.")
    double speedup;

    @Option(names = "--status-seconds", defaultValue = "30", description = "Real seconds between status lines. Default: ${DEFAULT-VALUE}.")
    int statusSeconds;

    @Option(names = "--offline", defaultValue = "0", description = {"Switch this many meters (the last ones) off after the first",
            "status line; the head-end recovers their steps over the others. Default: ${DEFAULT-VALUE}."})
    int offline;

    @Option(names = "--drop-rate", defaultValue = "0", description = {"Each meter independently leaves each step unreported with",
            "this probability (seeded by --seed, reproducible), as if its ciphertext were lost; the head-end recovers those",
            "steps over the meters that sent. 0 <= P < 1. Default: ${DEFAULT-VALUE}."})
    double dropRate;

    @Option(names = "--trust-dir", description = {"Write the head-end's identity for this run (head-end.key 0600, head-end.crt,",
            "ca.crt) into this directory: the simulated meters' certificates come from a throw-away CA made at start, so a",
            "head-end in another process can only join them with these files (config/head-end-local.yaml reads",
            "local-trust/). Start or restart the head-end after the simulation."})
    Path trustDir;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        if (trustDir != null) {
            org.psametering.cli.trust.Provisioning.headEnd(org.psametering.cli.trust.Provisioning.shared(), trustDir);
            System.out.printf("Wrote this run's head-end identity and CA certificate to %s (head-end.key, head-end.crt, ca.crt);"
                    + " (re)start the head-end now so that it uses them%n", trustDir);
        }
        StepDrops drops = new StepDrops(dropRate, seed);
        Clock clock = speedup == 1.0 ? Clock.systemUTC() : AcceleratedClock.startingAt(Clock.systemUTC().instant(), speedup);
        FleetSpec spec = new FleetSpec(meters, group, broker, seed, dataDir, clock, tickInterval(), idPrefix);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        System.out.printf("Starting %d simulated meters (%s .. %s) in group %s against %s%n", meters, spec.meterId(0),
                spec.meterId(meters - 1), group, broker);
        // Ctrl-C: the hook lets the meters close cleanly (state saved, sessions ended) before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-stop"));
        if (dropRate > 0) {
            System.out.printf("Each meter leaves each step unreported with probability %s (seed %d)%n", dropRate, seed);
        }
        try (SimulatedFleet fleet = SimulatedFleet.start(spec, drops)) {
            System.out.println("Running; press Ctrl-C to stop.");
            boolean switchedOff = offline == 0;
            while (!stop.await(statusSeconds, TimeUnit.SECONDS)) {
                printStatus(fleet);
                if (!switchedOff) {
                    for (int i = meters - offline; i < meters; i++) {
                        fleet.stopMeter(i);
                    }
                    switchedOff = true;
                    System.out.printf("switched %d meter(s) off (%s .. %s); their steps are recovered over the others%n", offline,
                            spec.meterId(meters - offline), spec.meterId(meters - 1));
                }
            }
            System.out.println("Stopping the meters ...");
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    /** Bad options are usage errors (picocli prints the message and exits with 2) before anything starts. */
    private void checkOptions() {
        if (meters < 1) {
            throw new ParameterException(spec.commandLine(), "--meters must be at least 1, got " + meters);
        }
        if (offline < 0 || offline >= meters) {
            throw new ParameterException(spec.commandLine(), "--offline must be 0.." + (meters - 1) + ", got " + offline);
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new ParameterException(spec.commandLine(), "--drop-rate must be at least 0 and below 1, got " + dropRate);
        }
        try {
            MqttSettings.of(broker, "simulate");
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--broker " + e.getMessage().replaceFirst("^mqtt\\.broker: ", ""));
        }
    }

    /** Short enough that a step is noticed within about 1/20 of its real duration, but never busier than every 20 ms. */
    private Duration tickInterval() {
        long millis = Math.round(Math.min(1000.0, Math.max(20.0, 45_000.0 / speedup)));
        return Duration.ofMillis(millis);
    }

    private static void printStatus(SimulatedFleet fleet) {
        long connected = 0;
        long encrypted = 0;
        long queued = 0;
        long dropped = 0;
        long skipped = 0;
        long answers = 0;
        long tlsRefused = 0;
        for (MeterHandle meter : fleet.meters()) {
            MeterStats stats = meter.stats();
            org.psametering.meter.mqtt.LinkStatus link = meter.link();
            connected += link.up() ? 1 : 0;
            tlsRefused += !link.up() && link.tlsRefusals() > 0 ? 1 : 0; // e.g. the broker's certificate revoked
            encrypted += stats.encrypted();
            queued += stats.outboxSize();
            dropped += stats.outboxDropped();
            skipped += stats.skippedSteps();
            answers += stats.recoveryAnswers();
        }
        System.out.printf("%d/%d connected, %d readings encrypted, %d queued for the broker, %d dropped, %d steps skipped"
                + " (--drop-rate), %d recovery answers%s%n", connected, fleet.meters().size(), encrypted, queued, dropped, skipped,
                answers, tlsRefused == 0 ? "" : ", " + tlsRefused + " down with a refused TLS handshake (see the log)");
    }
}
