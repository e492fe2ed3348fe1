package org.psametering.hardware.s0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.psametering.hardware.EnergyReading;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.MockPi4j;
import org.psametering.hardware.MutableClock;
import org.psametering.hardware.PullResistor;
import org.psametering.hardware.S0SensorConfig;
import org.psametering.hardware.Sensors;

class S0PulseSensorTest {

    private static final long MS = 1_000_000;
    private Context pi4j;
    private final AtomicLong ticker = new AtomicLong(123 * MS);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-15T12:00:00Z"));

    @BeforeEach
    void start() {
        pi4j = MockPi4j.context();
    }

    @AfterEach
    void stop() {
        pi4j.shutdown();
    }

    private MockDigitalInput input(int pin, PullResistance pull) {
        DigitalInput in = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("test-" + pin).address(pin).pull(pull));
        return (MockDigitalInput) in;
    }

    /** One S0 pulse: active for 40 ms, then idle for {@code gapMs}. */
    private void pulse(MockDigitalInput in, DigitalState active, DigitalState idle, long gapMs) {
        in.mockState(active);
        ticker.addAndGet(40 * MS);
        in.mockState(idle);
        ticker.addAndGet(gapMs * MS);
    }

    @Test
    void pulsesBecomeEnergyAndPower() {
        MockDigitalInput in = input(17, PullResistance.PULL_DOWN);
        var config = new S0SensorConfig(17, PullResistor.DOWN, 800, Duration.ofMillis(10), Optional.empty());
        try (S0PulseSensor sensor = new S0PulseSensor(in, config, clock, ticker::get)) {
            assertEquals(0, sensor.read().cumulativeMilliWattHours());
            assertTrue(sensor.read().powerWatts().isEmpty(), "no power before two pulses");
            for (int i = 0; i < 10; i++) {
                pulse(in, DigitalState.HIGH, DigitalState.LOW, 4460); // one pulse every 4.5 s
            }
            EnergyReading r = sensor.read();
            assertEquals(10, sensor.pulses());
            assertEquals(12_500, r.cumulativeMilliWattHours(), "10 pulses at 800 imp/kWh = 12.5 Wh");
            assertEquals(12, r.cumulativeWattHours());
            // 1.25 Wh per 4.5 s = 4500 J / 4.5 s = 1000 W
            assertEquals(1000, r.powerWatts().getAsDouble(), 1e-6);
            assertEquals(clock.instant(), r.at());
        }
    }

    @Test
    void contactBounceIsNotCounted() {
        MockDigitalInput in = input(5, PullResistance.PULL_DOWN);
        var config = new S0SensorConfig(5, PullResistor.DOWN, 1000, Duration.ofMillis(10), Optional.empty());
        try (S0PulseSensor sensor = new S0PulseSensor(in, config, clock, ticker::get)) {
            // a bouncing contact: three rising edges within 4 ms, then a clean pulse later
            in.mockState(DigitalState.HIGH);
            ticker.addAndGet(2 * MS);
            in.mockState(DigitalState.LOW);
            in.mockState(DigitalState.HIGH);
            ticker.addAndGet(2 * MS);
            in.mockState(DigitalState.LOW);
            in.mockState(DigitalState.HIGH);
            ticker.addAndGet(40 * MS);
            in.mockState(DigitalState.LOW);
            ticker.addAndGet(500 * MS);
            pulse(in, DigitalState.HIGH, DigitalState.LOW, 500);
            assertEquals(2, sensor.pulses());
            assertEquals(2, sensor.bounces());
            assertEquals(2_000, sensor.read().cumulativeMilliWattHours());
        }
    }

    @Test
    void pullUpWiringCountsFallingEdges() {
        MockDigitalInput in = input(22, PullResistance.PULL_UP);
        in.mockState(DigitalState.HIGH); // idle level with pull-up
        var config = new S0SensorConfig(22, PullResistor.UP, 1000, Duration.ofMillis(10), Optional.empty());
        try (S0PulseSensor sensor = new S0PulseSensor(in, config, clock, ticker::get)) {
            for (int i = 0; i < 3; i++) {
                pulse(in, DigitalState.LOW, DigitalState.HIGH, 100);
            }
            assertEquals(3, sensor.pulses());
            assertEquals(3_000, sensor.read().cumulativeMilliWattHours());
        }
    }

    @Test
    void closeDetachesAndRejectsReads() {
        MockDigitalInput in = input(6, PullResistance.PULL_DOWN);
        var config = new S0SensorConfig(6, PullResistor.DOWN, 1000, Duration.ZERO, Optional.empty());
        S0PulseSensor sensor = new S0PulseSensor(in, config, clock, ticker::get);
        pulse(in, DigitalState.HIGH, DigitalState.LOW, 100);
        sensor.close();
        pulse(in, DigitalState.HIGH, DigitalState.LOW, 100);
        assertEquals(1, sensor.pulses(), "pulses after close are not counted");
        assertThrows(IllegalStateException.class, sensor::read);
    }

    @Test
    void sensorsOpensConfiguredPinAndReleasesIt() {
        var config = new S0SensorConfig(27, PullResistor.UP, 1000, Duration.ZERO, Optional.empty());
        EnergySensor sensor = Sensors.open(config, clock, pi4j);
        DigitalInput in = pi4j.io("s0-gpio-27");
        assertEquals(27, in.address().intValue());
        assertEquals(PullResistance.PULL_UP, in.config().pull());
        MockDigitalInput mock = (MockDigitalInput) in;
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        assertEquals(2_000, sensor.read().cumulativeMilliWattHours());
        sensor.close();
        assertFalse(pi4j.registry().exists("s0-gpio-27"), "GPIO released on close");
    }
}
