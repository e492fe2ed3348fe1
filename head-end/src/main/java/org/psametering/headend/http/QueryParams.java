package org.psametering.headend.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.psametering.protocol.LogSafe;

/** The decoded query string of a request, with typed reads that refuse bad values with a 400 naming the parameter. */
final class QueryParams {
    /** Timestamps the database and Instant both represent: years 0000-9999 would overflow neither. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    static QueryParams parse(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                try {
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    out.put(key, value);
                } catch (IllegalArgumentException e) {
                    throw new ApiException(400, "query parameter '" + LogSafe.text(pair) + "' is not valid percent-encoding");
                }
            }
        }
        return new QueryParams(out);
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    /** An ISO-8601 instant or unix seconds; empty if absent or blank. */
    Optional<Instant> instant(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = value.chars().allMatch(Character::isDigit) ? Instant.ofEpochSecond(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new ApiException(400, "parameter '" + name + "' must be an ISO-8601 instant (2026-01-01T00:00:00Z) or unix seconds, got '"
                    + LogSafe.text(value) + "'");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ApiException(400, "parameter '" + name + "' must lie between " + EARLIEST + " and " + LATEST + ", got '"
                    + LogSafe.text(value) + "'");
        }
        return Optional.of(instant);
    }
}
