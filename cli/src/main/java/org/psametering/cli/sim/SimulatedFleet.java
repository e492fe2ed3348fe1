package org.psametering.cli.sim;

import org.psametering.cli.trust.Provisioning;
import org.psametering.meter.agent.MeterTrust;
import org.psametering.meter.config.TrustSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.Sensors;
import org.psametering.hardware.SimulatedSensorConfig;
import org.psametering.meter.MeterDevice;
import org.psametering.meter.MeterHandle;
import org.psametering.meter.MeterListener;
import org.psametering.meter.MeterRuntime;
import org.psametering.meter.StepSkips;
import org.psametering.meter.config.MeterConfig;
import org.psametering.meter.config.TlsSettings;

/**
 * Many simulated meters in one JVM: each its own MQTT client, state and household profile, sharing one {@link MeterRuntime}
 * (ticker and workers). Meters can be stopped and started again individually, as a restarted device would be.
 */
public final class SimulatedFleet implements AutoCloseable {
    private final FleetSpec spec;
    private final TrueSums truth = new TrueSums();
    private final EpochActivations activations = new EpochActivations();
    private final AcknowledgedCiphertexts acknowledged = new AcknowledgedCiphertexts();
    private final MeterRuntime runtime;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Each meter's TLS files by meter id, for an ssl:// broker; null for none. */
    private volatile java.util.function.Function<String, TlsSettings> tlsOfMeter;
    private volatile TrustSource trust;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SimulatedFleet.class);

    private record Running(MeterHandle meter, EnergySensor sensor) {
    }

    private SimulatedFleet(FleetSpec spec, StepSkips skips) {
        this.spec = spec;
        int minimum = Math.min(MeterTrust.DEFAULT_MIN_GROUP_SIZE, spec.meters());
        if (minimum < MeterTrust.DEFAULT_MIN_GROUP_SIZE) {
            LOG.warn("WARN: this simulation's group has only {} meters: the meters' group.minMembers is lowered from {} to {}"
                    + " (a sum over so few households comes close to one household's reading)", spec.meters(),
                    MeterTrust.DEFAULT_MIN_GROUP_SIZE, minimum);
        }
        this.trust = Provisioning.meters(Provisioning.shared(), minimum);
        this.runtime = MeterRuntime.builder().tickInterval(spec.tickInterval()).stepSkips(skips).listener(new MeterListener() {
            @Override
            public void onReadingEncrypted(String meterId, long label, long wattHours) {
                truth.onReadingEncrypted(meterId, label, wattHours);
            }

            @Override
            public void onCiphertextAcknowledged(String meterId, long epoch, long label) {
                acknowledged.onCiphertextAcknowledged(meterId, epoch, label);
            }

            @Override
            public void onEpochActive(String meterId, long epoch, long activeFromLabel) {
                activations.onEpochActive(meterId, epoch, activeFromLabel);
            }
        }).build();
    }

    /** Starts every meter of {@code spec}. */
    public static SimulatedFleet start(FleetSpec spec) {
        return start(spec, StepSkips.NONE);
    }

    /** Starts every meter of {@code spec}; they leave the steps {@code skips} names unreported (e.g. {@link StepDrops}). */
    public static SimulatedFleet start(FleetSpec spec, StepSkips skips) {
        SimulatedFleet fleet = new SimulatedFleet(spec, skips);
        try {
            for (int i = 0; i < spec.meters(); i++) {
                fleet.startMeter(i);
            }
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** A fleet with no meter running yet; start them with {@link #startMeter}. */
    public static SimulatedFleet empty(FleetSpec spec) {
        return new SimulatedFleet(spec, StepSkips.NONE);
    }

    /** Starts (or restarts, with the same data directory and household) meter number {@code index}. */
    public String startMeter(int index) {
        return startMeter(index, spec.brokerUrl());
    }

    /** Starts meter number {@code index} connected through {@code brokerUrl} (e.g. a relay a test can cut). */
    public String startMeter(int index, String brokerUrl) {
        String id = spec.meterId(index);
        if (running.containsKey(id)) {
            throw new IllegalStateException("meter " + id + " is already running");
        }
        MeterConfig config = MeterConfig.inMemory(id, spec.groupId(), brokerUrl).withTrust(trust);
        if (tlsOfMeter != null) {
            config = config.withMqtt(config.mqtt().withTls(tlsOfMeter.apply(id)));
        }
        if (spec.dataDir() != null) {
            config = config.withDataDir(dataDirOf(index));
        }
        EnergySensor sensor = Sensors.open(SimulatedSensorConfig.withSeed(spec.seedOf(index)), spec.clock());
        try {
            running.put(id, new Running(MeterDevice.start(config, sensor, spec.clock(), runtime), sensor));
        } catch (RuntimeException e) {
            closeQuietly(sensor);
            throw e;
        }
        return id;
    }

    /**
     * Meters started from now on trust {@code source} (default: the run's throw-away CA, {@link Provisioning#shared()},
     * and a minimum group size of 5 or the fleet's size if smaller).
     */
    public void useTrust(TrustSource source) {
        this.trust = java.util.Objects.requireNonNull(source, "source");
    }

    /** Meters started from now on connect with mutual TLS using {@code tlsOfMeter.apply(meterId)} (an ssl:// broker). */
    public void useTls(java.util.function.Function<String, TlsSettings> tlsOfMeter) {
        this.tlsOfMeter = tlsOfMeter;
    }

    /** Stops meter number {@code index} as a power cut would end the process (state stays in its data directory). */
    public void stopMeter(int index) {
        Running meter = running.remove(spec.meterId(index));
        if (meter == null) {
            throw new IllegalStateException("meter " + spec.meterId(index) + " is not running");
        }
        meter.meter().close();
        closeQuietly(meter.sensor());
    }

    public TrueSums truth() {
        return truth;
    }

    public EpochActivations activations() {
        return activations;
    }

    /** Ciphertexts the broker acknowledged to the meters (which will therefore never send them again). */
    public AcknowledgedCiphertexts acknowledged() {
        return acknowledged;
    }

    /** The data directory of meter number {@code index}, or null when the fleet keeps state in memory. */
    public java.nio.file.Path dataDirOf(int index) {
        return spec.dataDir() == null ? null : spec.dataDir().resolve(spec.meterId(index));
    }

    public FleetSpec spec() {
        return spec;
    }

    /** Handles of the running meters (for their stats). */
    public List<MeterHandle> meters() {
        List<MeterHandle> handles = new ArrayList<>();
        running.values().forEach(r -> handles.add(r.meter()));
        return Collections.unmodifiableList(handles);
    }

    @Override
    public void close() {
        for (String id : List.copyOf(running.keySet())) {
            Running meter = running.remove(id);
            try {
                meter.meter().close();
            } finally {
                closeQuietly(meter.sensor());
            }
        }
        runtime.close();
    }

    private static void closeQuietly(EnergySensor sensor) {
        try {
            sensor.close();
        } catch (Exception e) {
            // a simulated sensor holds no resources worth reporting
        }
    }
}
