package org.psametering.hardware;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.psametering.hardware.ct.Ads1115Channel;
import org.psametering.hardware.ct.Ads1115DataRate;
import org.psametering.hardware.ct.Ads1115Gain;

/**
 * Parses the {@code sensor:} subtree of meter.yaml (as the generic maps a YAML reader produces) into a
 * {@link SensorConfig}. The settings per type are documented in docs/raspberry-pi.md and the config/ examples.
 */
public final class SensorConfigs {

    private static final String PREFIX = "sensor";

    private SensorConfigs() {
    }

    /**
     * @param sensor the {@code sensor:} mapping; null or empty selects the simulated household with seed 1
     * @throws InvalidSensorConfigException naming the bad setting, e.g. {@code sensor.pin: must be a BCM GPIO number 0..27, got 42}
     */
    public static SensorConfig fromMap(Map<String, Object> sensor) {
        if (sensor == null || sensor.isEmpty()) {
            return SimulatedSensorConfig.withSeed(1);
        }
        SettingReader r = new SettingReader(PREFIX, sensor);
        String type = r.string("type", SimulatedSensorConfig.TYPE);
        SensorConfig config = switch (type) {
            case SimulatedSensorConfig.TYPE -> simulated(r);
            case S0SensorConfig.TYPE -> s0(r);
            case CtAds1115SensorConfig.TYPE -> ct(r);
            case CsvReplaySensorConfig.TYPE -> csv(r);
            case SmlSensorConfig.TYPE -> sml(r);
            default -> throw new InvalidSensorConfigException(r.path("type"), "must be one of simulated, s0, "
                    + "ct-ads1115, csv, sml, got " + type);
        };
        r.rejectUnknown("sensor type " + type);
        return config;
    }

    private static SimulatedSensorConfig simulated(SettingReader r) {
        SimulatedSensorConfig d = SimulatedSensorConfig.withSeed(1);
        return new SimulatedSensorConfig(r.integer("seed").orElse(d.seed()),
                r.decimal("baseLoadWatts", d.baseLoadWatts()), r.decimal("maxWatts", d.maxWatts()));
    }

    private static S0SensorConfig s0(SettingReader r) {
        int pin = r.integer("pin").map(SensorConfigs::saturatedInt)
                .orElseThrow(() -> new InvalidSensorConfigException(r.path("pin"), "is required for type s0 (BCM GPIO number 0..27)"));
        PullResistor pull = r.enumValue("pull", PullResistor.class, PullResistor.DOWN);
        int impulses = r.integer("impulsesPerKwh").map(SensorConfigs::saturatedInt)
                .orElseThrow(() -> new InvalidSensorConfigException(r.path("impulsesPerKwh"),
                        "is required for type s0 (the imp/kWh constant printed on the meter)"));
        Duration debounce = Duration.ofMillis(r.intValue("debounceMillis", (int) S0SensorConfig.DEFAULT_DEBOUNCE.toMillis()));
        Optional<String> chip = r.string("gpioChip");
        return new S0SensorConfig(pin, pull, impulses, debounce, chip);
    }

    private static CtAds1115SensorConfig ct(SettingReader r) {
        int bus = r.intValue("bus", 1);
        int address = r.intValue("address", 0x48);
        Ads1115Gain gain = parse(r, "gain", "1", Ads1115Gain::fromYamlName);
        Ads1115Channel channel = parse(r, "channel", "A0-A1", Ads1115Channel::fromYamlName);
        Ads1115DataRate rate = parse(r, "dataRate", "860", s -> Ads1115DataRate.fromSamplesPerSecond(parseInt(r, "dataRate", s)));
        Optional<Double> ampsPerVolt = r.decimal("ampsPerVolt");
        Optional<Double> ratio = r.decimal("ctRatio");
        Optional<Double> burden = r.decimal("burdenOhms");
        double calibration;
        if (ampsPerVolt.isPresent()) {
            if (ratio.isPresent() || burden.isPresent()) {
                throw new InvalidSensorConfigException(r.path("ampsPerVolt"),
                        "give either ampsPerVolt or ctRatio with burdenOhms, not both");
            }
            calibration = ampsPerVolt.get();
        } else if (ratio.isPresent() && burden.isPresent()) {
            calibration = CtAds1115SensorConfig.ampsPerVolt(ratio.get(), burden.get());
        } else {
            throw new InvalidSensorConfigException(ratio.isPresent() ? r.path("burdenOhms") : r.path("ampsPerVolt"),
                    "calibration is required: ampsPerVolt (voltage-output clamps, e.g. 30 for SCT-013-030) "
                            + "or ctRatio with burdenOhms (current-output clamps, e.g. 2000 and 22)");
        }
        return new CtAds1115SensorConfig(bus, address, gain, channel, rate, calibration,
                r.decimal("mainsVolts", 230), r.decimal("powerFactor", 1.0),
                Duration.ofMillis(r.intValue("windowMillis", 1000)), r.decimal("noiseFloorAmps", 0.05));
    }

    private static CsvReplaySensorConfig csv(SettingReader r) {
        String file = r.string("file").orElseThrow(() -> new InvalidSensorConfigException(r.path("file"),
                "is required for type csv (path of the readings file)"));
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new InvalidSensorConfigException(r.path("file"), "is not a valid path: " + e.getMessage());
        }
        CsvReplaySensorConfig.Timeline timeline = r.enumValue("timeline", CsvReplaySensorConfig.Timeline.class,
                CsvReplaySensorConfig.Timeline.RELATIVE);
        Optional<Double> rollover = r.decimal("rolloverWh");
        return new CsvReplaySensorConfig(path, timeline,
                rollover.map(OptionalDouble::of).orElse(OptionalDouble.empty()));
    }

    private static SmlSensorConfig sml(SettingReader r) {
        String port = r.string("serialPort").orElseThrow(() -> new InvalidSensorConfigException(r.path("serialPort"),
                "is required for type sml (the IR read head's device, e.g. /dev/ttyUSB0)"));
        return new SmlSensorConfig(port, r.intValue("baudRate", 9600), Duration.ofSeconds(r.intValue("timeoutSeconds", 10)));
    }

    /** Out-of-range values stay out of range (and so fail validation with their own message) instead of wrapping. */
    private static int saturatedInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(SettingReader r, String key, String defaultValue, Parser<T> parser) {
        String text = r.string(key, defaultValue);
        try {
            return parser.parse(text);
        } catch (InvalidSensorConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSensorConfigException(r.path(key), e.getMessage());
        }
    }

    private static int parseInt(SettingReader r, String key, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSensorConfigException(r.path(key), "must be a whole number, got " + text);
        }
    }
}
