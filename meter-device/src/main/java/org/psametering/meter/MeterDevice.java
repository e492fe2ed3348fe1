package org.psametering.meter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.hardware.EnergySensor;
import org.psametering.meter.agent.MeterAgent;
import org.psametering.meter.agent.MeterStats;
import org.psametering.meter.config.ConfigException;
import org.psametering.meter.config.MeterConfig;
import org.psametering.meter.agent.MeterTrust;
import org.psametering.meter.mqtt.PahoMeterConnection;
import org.psametering.meter.outbox.Outbox;
import org.psametering.meter.outbox.OutboxStore;
import org.psametering.meter.store.FileStateStore;
import org.psametering.meter.store.StateStore;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Programmatic entry: starts one meter (agent + state + outbox + MQTT) and returns its handle. Used by {@link MeterMain}
 * for a real meter and by the demo and {@code ./psa simulate} for many simulated ones in one JVM.
 *
 * <pre>{@code
 * try (MeterRuntime runtime = MeterRuntime.builder().tickInterval(Duration.ofMillis(50)).listener(l).build()) {
 *     MeterHandle m = MeterDevice.start(MeterConfig.inMemory("m1", "g1", "tcp://localhost:1883"), sensor, clock, runtime);
 *     ...
 *     m.close();
 * }
 * }</pre>
 */
public final class MeterDevice {

    private static final Logger log = LoggerFactory.getLogger(MeterDevice.class);

    /** File name of the persisted outbox inside the data directory. */
    public static final String OUTBOX_FILE = "outbox.bin";

    private MeterDevice() {
    }

    /** Starts a meter with a runtime of its own (closed together with the meter). */
    public static MeterHandle start(MeterConfig config, EnergySensor sensor, Clock clock) {
        MeterRuntime own = MeterRuntime.create();
        try {
            MeterHandle meter = start(config, sensor, clock, own);
            return new Handle(meter, own);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** Starts a meter on a shared runtime (the caller closes the runtime after its meters). */
    public static MeterHandle start(MeterConfig config, EnergySensor sensor, Clock clock, MeterRuntime runtime) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(runtime, "runtime");
        if (config.trust() == null) {
            throw new ConfigException("trust: not configured for meter " + config.meterId() + " (identity key, certificate, CA"
                    + " certificate, head-end name): a meter never takes part without checking signatures; see ./psa pki");
        }
        MeterTrust trust = config.trust().load(config.meterId(), clock);
        StateStore store = openStore(config);
        PahoMeterConnection connection = null;
        try {
            OutboxStore outboxStore = config.dataDir() == null ? OutboxStore.NONE : OutboxStore.file(config.dataDir().resolve(OUTBOX_FILE));
            Outbox outbox = new Outbox(config.outboxCapacity(), outboxStore, entry -> runtime.listener()
                    .onCiphertextAcknowledged(config.meterId(), Topics.parse(entry.topic()).epoch(), entry.label()));
            connection = new PahoMeterConnection(config.mqtt(), runtime.scheduler(), runtime.pahoExecutor());
            MeterAgent agent = new MeterAgent(new MeterAgent.Setup(config.meterId(), config.groupId(), store, outbox, connection,
                    sensor, clock, runtime.workers(), runtime.listener(), runtime.random(), config.announcements(),
                    new RecoveryPolicy(config.recoveryMinReporting()), trust, runtime.stepSkips()));
            connection.start(agent);
            AutoCloseable ticking = runtime.ticker().register(agent);
            java.util.List<org.psametering.protocol.trust.CrlFileTrust> crls = new java.util.ArrayList<>();
            if (trust.verifier() instanceof org.psametering.protocol.trust.CrlFileTrust watched) {
                crls.add(watched);
            }
            connection.tlsCrl().ifPresent(crls::add);
            return new RunningMeter(agent, connection, store, ticking, new AtomicBoolean(), java.util.List.copyOf(crls));
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            store.close();
            throw e;
        }
    }

    private static StateStore openStore(MeterConfig config) {
        if (config.dataDir() == null) {
            return StateStore.inMemory();
        }
        try {
            return FileStateStore.open(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("meter.dataDir: " + e.getMessage(), e);
        }
    }

    private record RunningMeter(MeterAgent agent, PahoMeterConnection connection, StateStore store, AutoCloseable ticking,
                                AtomicBoolean closed, java.util.List<org.psametering.protocol.trust.CrlFileTrust> crls)
            implements MeterHandle {

        @Override
        public String meterId() {
            return agent.meterId();
        }

        @Override
        public MeterStats stats() {
            return agent.stats().withCrls(crls); // the CRL files are watched outside the agent (trust, TLS link)
        }

        @Override
        public boolean isConnected() {
            return connection.isConnected();
        }

        @Override
        public org.psametering.meter.mqtt.LinkStatus link() {
            return connection.status();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return; // e.g. a shutdown hook and an interrupted main thread both closing
            }
            try {
                ticking.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                connection.close();
                agent.stop();
                store.close();
                log.info("meter {}: stopped ({}, {})", agent.meterId(), stats(), connection.status());
            }
        }
    }

    private record Handle(MeterHandle meter, MeterRuntime runtime) implements MeterHandle {
        @Override
        public String meterId() {
            return meter.meterId();
        }

        @Override
        public MeterStats stats() {
            return meter.stats();
        }

        @Override
        public boolean isConnected() {
            return meter.isConnected();
        }

        @Override
        public org.psametering.meter.mqtt.LinkStatus link() {
            return meter.link();
        }

        @Override
        public void close() {
            try {
                meter.close();
            } finally {
                runtime.close();
            }
        }
    }
}
