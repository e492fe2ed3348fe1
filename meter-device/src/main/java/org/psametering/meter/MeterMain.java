package org.psametering.meter;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.SensorConfig;
import org.psametering.hardware.SensorProbe;
import org.psametering.hardware.Sensors;
import org.psametering.meter.config.ConfigException;
import org.psametering.meter.config.MeterConfig;
import org.psametering.meter.config.MeterConfigLoader;
import org.psametering.meter.store.CorruptStateException;
import org.psametering.meter.outbox.CorruptOutboxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./psa meter}: runs one meter until stopped (SIGTERM/Ctrl-C), or checks its sensor with {@code --sensor-test}. */
@Command(name = "meter", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a PSA smart meter: reads the sensor, encrypts each time-step, publishes over MQTT 5.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally", "1:runtime failure (broker URL unusable, data directory, sensor)",
                "2:bad command line or configuration (the message names the setting)"})
public final class MeterMain implements Callable<Integer> {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_CONFIG = 2;

    @Option(names = "--config", paramLabel = "FILE", description = "meter.yaml (see config/meter.yaml); options below override it")
    Path config;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker, e.g. tcp://localhost:1883 (mqtt.broker)")
    String broker;

    @Option(names = "--meter-id", paramLabel = "ID", description = "this meter's id (meter.id)")
    String meterId;

    @Option(names = "--group", paramLabel = "ID", description = "the group it reports to (group.id)")
    String group;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where keys, last label and outbox are kept (meter.dataDir)")
    Path dataDir;

    @Option(names = "--sensor-test", description = "print live sensor readings once a second to check the wiring, then exit")
    boolean sensorTest;

    @Option(names = "--sensor-test-readings", paramLabel = "N", defaultValue = "0",
            description = "with --sensor-test: stop after N readings (default: until Ctrl-C)")
    long sensorTestReadings;

    private final PrintStream out;
    private final PrintStream err;

    MeterMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "psa-meter-logback.xml");
        }
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new MeterMain(out, err));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        MeterConfig cfg = null;
        SensorConfig sensorConfig;
        try {
            if (sensorTest) { // checking the wiring needs only the sensor settings
                sensorConfig = MeterConfigLoader.loadSensor(config);
            } else {
                cfg = MeterConfigLoader.load(config, new MeterConfigLoader.Overrides(broker, meterId, group, dataDir));
                sensorConfig = cfg.sensor();
            }
        } catch (ConfigException e) {
            err.println("meter: " + e.getMessage());
            return EXIT_CONFIG;
        }
        Clock clock = Clock.systemUTC();
        try (EnergySensor sensor = Sensors.open(sensorConfig, clock)) {
            if (sensorTest) {
                new SensorProbe(sensor, out).run(Duration.ofSeconds(1), sensorTestReadings);
                return 0;
            }
            return runUntilStopped(cfg, sensor, clock);
        } catch (CorruptStateException | CorruptOutboxException | UncheckedIOException | IllegalArgumentException
                 | IllegalStateException e) {
            err.println("meter: " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    private int runUntilStopped(MeterConfig cfg, EnergySensor sensor, Clock clock) {
        CountDownLatch stopped = new CountDownLatch(1);
        MeterHandle meter = MeterDevice.start(cfg, sensor, clock);
        Thread hook = new Thread(() -> {
            meter.close();
            stopped.countDown();
        }, "psa-meter-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            meter.close();
        }
        return 0;
    }
}
