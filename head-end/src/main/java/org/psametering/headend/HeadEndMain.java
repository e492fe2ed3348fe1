package org.psametering.headend;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.ConfigLoader;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.store.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line: {@code head-end --config config/head-end.yaml [--broker URL] [--http-port N] [--jdbc-url URL] [--data-dir DIR]}. */
@Command(name = "head-end", mixinStandardHelpOptions = true, version = "psa head-end 0.1",
        description = "PSA smart-metering head-end: key setup, collection and aggregation of encrypted meter readings.")
public final class HeadEndMain implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (default: ${DEFAULT-VALUE})",
            defaultValue = "config/head-end.yaml")
    Path config;

    @Option(names = "--broker", paramLabel = "URL", description = "overrides mqtt.broker, e.g. tcp://127.0.0.1:1883")
    String broker;

    @Option(names = "--http-port", paramLabel = "PORT", description = "overrides http.port (0 = any free port, -1 = off)")
    Integer httpPort;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "overrides storage.jdbcUrl, e.g. jdbc:postgresql://127.0.0.1:5432/psa")
    String jdbcUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "overrides dataDir (embedded database, MQTT client state)")
    Path dataDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HeadEndMain()).execute(args));
    }

    /** The configuration file with the command-line overrides applied. */
    HeadEndConfig effectiveConfig() {
        HeadEndConfig loaded = ConfigLoader.load(config);
        if (broker != null) {
            loaded = loaded.withMqtt(loaded.mqtt().withBroker(broker));
        }
        if (httpPort != null) {
            loaded = loaded.withHttp(new HttpSettings(httpPort, loaded.http().bindAddress()));
        }
        if (jdbcUrl != null) {
            loaded = loaded.withStorage(loaded.storage().withJdbcUrl(jdbcUrl));
        }
        if (dataDir != null) {
            loaded = loaded.withDataDir(dataDir);
        }
        return loaded;
    }

    @Override
    public Integer call() throws InterruptedException {
        HeadEndConfig effective;
        try {
            effective = effectiveConfig();
        } catch (ConfigException e) {
            System.err.println("head-end: configuration error: " + e.getMessage());
            return 2;
        }
        // installed before the start: the HTTP API answers before the broker is connected, and a HUP that reached the
        // JVM's own handler then would stop the process (exit 129) instead of reloading
        // (a HUP during the start is remembered and served as soon as the start is done)
        StartedHeadEnd running = new StartedHeadEnd();
        ReloadSignal.install(running::reload);
        HeadEnd headEnd;
        try {
            headEnd = HeadEnd.start(effective, Clock.systemUTC(), this::effectiveConfig);
        } catch (StorageException | IllegalStateException e) {
            System.err.println("head-end: cannot start: " + e.getMessage());
            return 1;
        }
        running.started(headEnd::reload);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            headEnd.close();
            stopped.countDown();
        }, "psa-head-end-shutdown"));
        stopped.await();
        return 0;
    }

    /** The head-end's reload once it is started, and a reload asked for before that. */
    static final class StartedHeadEnd {
        private Consumer<String> headEnd;
        private boolean reloadRequested;

        void reload() {
            Consumer<String> target;
            synchronized (this) {
                if (headEnd == null) {
                    reloadRequested = true;
                    System.err.println("head-end: SIGHUP during the start: the configuration is reloaded once the start is done");
                    return;
                }
                target = headEnd;
            }
            target.accept("SIGHUP");
        }

        void started(Consumer<String> started) {
            boolean requested;
            synchronized (this) {
                headEnd = started;
                requested = reloadRequested;
            }
            if (requested) {
                started.accept("SIGHUP during the start");
            }
        }
    }
}
