package org.psametering.hardware;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to one yaml subtree, tolerant of how YAML libraries hand out scalars (numbers may arrive as Integer,
 * Long, Double or String) and strict about everything else: each error names the full setting path.
 */
final class SettingReader {

    private final String prefix;
    private final Map<String, Object> values;
    private final Set<String> consumed = new LinkedHashSet<>();

    SettingReader(String prefix, Map<String, Object> values) {
        this.prefix = prefix;
        this.values = values;
    }

    String path(String key) {
        return prefix + "." + key;
    }

    Optional<String> string(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> || v instanceof Iterable<?>) {
            throw new InvalidSensorConfigException(path(key), "must be a single value, got " + v.getClass().getSimpleName());
        }
        String s = v.toString().strip();
        if (s.isEmpty()) {
            throw new InvalidSensorConfigException(path(key), "must not be empty");
        }
        return Optional.of(s);
    }

    String string(String key, String defaultValue) {
        return string(key).orElse(defaultValue);
    }

    /** Integers may be written in decimal or as 0x.. hex (I2C addresses). */
    Optional<Long> integer(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Optional.of(((Number) v).longValue());
        }
        String s = string(key).orElseThrow().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            return Optional.of(s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new InvalidSensorConfigException(path(key), "must be a whole number, got " + v);
        }
    }

    int intValue(String key, int defaultValue) {
        long v = integer(key).orElse((long) defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new InvalidSensorConfigException(path(key), "is out of range, got " + v);
        }
        return (int) v;
    }

    Optional<Double> decimal(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        try {
            double d = Double.parseDouble(string(key).orElseThrow());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return Optional.of(d);
        } catch (NumberFormatException e) {
            throw new InvalidSensorConfigException(path(key), "must be a number, got " + v);
        }
    }

    double decimal(String key, double defaultValue) {
        return decimal(key).orElse(defaultValue);
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, s.get().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            Set<String> names = new TreeSet<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new InvalidSensorConfigException(path(key), "must be one of " + names + ", got " + s.get());
        }
    }

    private Object raw(String key) {
        consumed.add(key);
        return values.get(key);
    }

    /** Rejects keys nobody asked for: a misspelt setting must not silently fall back to a default. */
    void rejectUnknown(String context) {
        for (Object key : values.keySet()) {
            if (!consumed.contains(String.valueOf(key))) {
                throw new InvalidSensorConfigException(path(String.valueOf(key)),
                        "unknown setting for " + context + " (known: " + String.join(", ", consumed) + ")");
            }
        }
    }
}
