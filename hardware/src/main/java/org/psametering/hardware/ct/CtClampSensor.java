package org.psametering.hardware.ct;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import org.psametering.hardware.CtAds1115SensorConfig;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.energy.EnergyIntegrator;
import org.psametering.hardware.energy.RmsAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CT clamp on an ADS1115: a sampling thread reads windows of conversions, turns each into RMS current and power,
 * and integrates the power over the time between window ends (on the sensor's clock).
 *
 * <p>Sampling runs on its own thread because a 50 Hz waveform must be read at the ADC's rate regardless of how rarely
 * the meter asks for energy. {@link #sampleWindow()} is also callable directly, which is how tests drive it.
 */
public final class CtClampSensor implements EnergySensor {

    private static final Logger LOG = LoggerFactory.getLogger(CtClampSensor.class);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(1);
    private static final double COUNTS_FULL_SCALE = 32768.0;

    private final Ads1115 adc;
    private final CtAds1115SensorConfig config;
    private final Clock clock;
    private final SamplePacer pacer;
    private final int configRegister;
    private final RmsAccumulator rms = new RmsAccumulator();
    private final EnergyIntegrator energy = new EnergyIntegrator();
    private final Object lock = new Object();
    private Instant lastWindowEnd;
    private double lastWatts = Double.NaN;
    private long failedWindows;
    private Thread sampler;
    private volatile boolean closed;

    /**
     * Configures the ADC for continuous conversions right away (so the first window reads settled conversions);
     * sampling starts with {@link #start()}.
     *
     * @throws SensorException when the ADC does not accept the configuration (wrong address, wiring)
     */
    public CtClampSensor(Ads1115 adc, CtAds1115SensorConfig config, Clock clock, SamplePacer pacer) {
        this.adc = Objects.requireNonNull(adc, "adc");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.configRegister = Ads1115.continuousConfig(config.channel(), config.gain(), config.dataRate());
        adc.writeConfig(configRegister);
        this.lastWindowEnd = clock.instant();
    }

    /** Starts the sampling thread (once). */
    public synchronized CtClampSensor start() {
        if (closed) {
            throw new IllegalStateException("sensor is closed");
        }
        if (sampler == null) {
            sampler = new Thread(this::sampleUntilClosed, "ct-ads1115-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }
        return this;
    }

    /**
     * Reads one window of conversions and integrates its power over the time since the previous window ended.
     *
     * @throws SensorException when the ADC cannot be read; the partial window is discarded
     * @throws InterruptedException when the pacer is interrupted (the sensor is closing)
     */
    public CurrentWindow sampleWindow() throws InterruptedException {
        int samples = config.samplesPerWindow();
        rms.reset();
        for (int i = 0; i < samples; i++) {
            pacer.awaitNextSample();
            rms.add(adc.readConversion());
        }
        double rmsVolts = rms.acRmsCounts() * config.gain().fullScaleVolts() / COUNTS_FULL_SCALE;
        double amps = rmsVolts * config.ampsPerVolt();
        if (amps < config.noiseFloorAmps()) {
            amps = 0;
        }
        double watts = amps * config.mainsVolts() * config.powerFactor();
        synchronized (lock) {
            Instant now = clock.instant();
            energy.add(watts, Duration.between(lastWindowEnd, now));
            lastWindowEnd = now;
            lastWatts = watts;
        }
        return new CurrentWindow(samples, rmsVolts, amps, watts);
    }

    private void sampleUntilClosed() {
        while (!closed) {
            try {
                sampleWindow();
            } catch (InterruptedException e) {
                return;
            } catch (SensorException e) {
                onWindowFailed(e);
                try {
                    Thread.sleep(RETRY_AFTER_ERROR);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** A failed window's time is not integrated: energy is under-counted rather than invented. */
    private void onWindowFailed(SensorException e) {
        synchronized (lock) {
            failedWindows++;
            lastWindowEnd = clock.instant();
            lastWatts = Double.NaN;
        }
        LOG.warn("CT sampling window failed ({} so far), retrying in {}: {}", failedWindows(), RETRY_AFTER_ERROR, e.getMessage());
    }

    public long failedWindows() {
        synchronized (lock) {
            return failedWindows;
        }
    }

    @Override
    public EnergyReading read() {
        if (closed) {
            throw new IllegalStateException("CT sensor is closed");
        }
        synchronized (lock) {
            return new EnergyReading(clock.instant(), energy.milliWattHours(),
                    Double.isNaN(lastWatts) ? OptionalDouble.empty() : OptionalDouble.of(lastWatts));
        }
    }

    /** Stops and joins the sampling thread, powers the ADC down and releases the I2C device. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = sampler;
        }
        if (t != null) {
            t.interrupt();
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            adc.writeConfig(Ads1115.powerDownConfig(configRegister));
        } catch (SensorException e) {
            LOG.warn("could not power the ADS1115 down: {}", e.getMessage());
        } finally {
            adc.close();
        }
    }

    /** Whether the sampling thread is running (false before start() and after close()). */
    public boolean isSampling() {
        Thread t;
        synchronized (this) {
            t = sampler;
        }
        return t != null && t.isAlive();
    }

    @Override
    public String toString() {
        return "CtClampSensor[bus=" + config.bus() + ", address=0x" + Integer.toHexString(config.address())
                + ", channel=" + config.channel().yamlName() + "]";
    }
}
