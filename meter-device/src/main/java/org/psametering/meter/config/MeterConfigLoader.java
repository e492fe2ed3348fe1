package org.psametering.meter.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.psametering.hardware.SensorConfig;
import org.psametering.hardware.SensorConfigs;
import org.psametering.crypto.keysetup.GraphParameters;
import org.psametering.meter.agent.AnnouncementLimits;
import org.psametering.meter.agent.MeterTrust;

/**
 * Reads meter.yaml (format documented in config/meter.yaml) and applies command-line overrides.
 *
 * <p>Unknown settings are errors rather than ignored, so a typo such as {@code mqtt.brokr} is reported instead of
 * silently falling back to a default. Every error names the setting.
 */
public final class MeterConfigLoader {

    /** Command-line values that replace the file's; null means "keep the file's". */
    public record Overrides(String broker, String meterId, String groupId, Path dataDir) {
        public static final Overrides NONE = new Overrides(null, null, null, null);
    }

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> TLS_KEYS = Set.of("caFile", "certFile", "keyFile", "crlFile");
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "meter", Set.of("id", "dataDir"),
            "mqtt", Set.of("broker", "username", "password", "clientId", "sessionExpirySeconds", "keepAliveSeconds", "tls"),
            "group", Set.of("id", "maxMembers", "maxEpochAdvance", "minMembers"),
            "trust", Set.of("identityKey", "certificate", "anchor", "crl", "headEndName", "keySetupThreads", "crlCheckSeconds"),
            "outbox", Set.of("capacity"),
            "recovery", Set.of("minReporting"),
            "sparseGraph", Set.of("dishonestPercent", "missingPercent", "securityBits", "minNeighbours"),
            "sensor", Set.of()); // the sensor subtree belongs to the hardware module, which checks it

    private MeterConfigLoader() {
    }

    /** Loads {@code file} (or only the overrides and defaults when {@code file} is null). */
    public static MeterConfig load(Path file, Overrides overrides) {
        if (file == null) {
            return parse("", "command line", overrides);
        }
        return parse(read(file), file.toString(), overrides);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Only the {@code sensor:} subtree of {@code file} (for {@code --sensor-test}, which needs nothing else). */
    public static SensorConfig loadSensor(Path file) {
        if (file == null) {
            return sensor(JsonNodeFactory.instance.objectNode());
        }
        String source = file.toString();
        ObjectNode root = readRoot(read(file), source);
        checkKnown(root);
        try {
            return sensor(root);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    public static MeterConfig parse(String yaml, String source, Overrides overrides) {
        ObjectNode root = readRoot(yaml, source);
        checkKnown(root);
        applyOverrides(root, overrides);
        try {
            String meterId = text(root, "meter", "id", null);
            MeterConfig.checkId(meterId, "meter.id"); // before mqtt.clientId, which defaults to it
            String dataDir = text(root, "meter", "dataDir", null);
            if (dataDir == null) {
                throw new ConfigException("meter.dataDir: missing (the directory that keeps this meter's keys, last label and outbox)");
            }
            MqttSettings mqtt = new MqttSettings(
                    text(root, "mqtt", "broker", null),
                    text(root, "mqtt", "username", null),
                    text(root, "mqtt", "password", null),
                    text(root, "mqtt", "clientId", meterId),
                    number(root, "mqtt", "sessionExpirySeconds", MqttSettings.DEFAULT_SESSION_EXPIRY_SECONDS),
                    (int) number(root, "mqtt", "keepAliveSeconds", MqttSettings.DEFAULT_KEEP_ALIVE_SECONDS),
                    tls(root.path("mqtt").path("tls")));
            return new MeterConfig(meterId, text(root, "group", "id", null), path(dataDir), mqtt, sensor(root),
                    (int) number(root, "outbox", "capacity", MeterConfig.DEFAULT_OUTBOX_CAPACITY), announcementLimits(root),
                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                            number(root, "recovery", "minReporting", MeterConfig.DEFAULT_RECOVERY_MIN_REPORTING))),
                    trust(root));
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    /** Null without a {@code trust:} section: the meter then refuses to start (MeterDevice), but the rest can be checked. */
    private static TrustFiles trust(ObjectNode root) {
        long minMembers = number(root, "group", "minMembers", MeterTrust.DEFAULT_MIN_GROUP_SIZE);
        if (minMembers < 1) {
            throw new ConfigException("group.minMembers: must be at least 1, was " + minMembers);
        }
        if (!root.has("trust") || root.get("trust").isNull()) {
            return null;
        }
        String key = text(root, "trust", "identityKey", null);
        String crl = text(root, "trust", "crl", null);
        return new TrustFiles(key == null ? null : path(key, "trust.identityKey"),
                optionalPath(root, "trust", "certificate"), optionalPath(root, "trust", "anchor"),
                crl == null ? null : path(crl, "trust.crl"), text(root, "trust", "headEndName", null), (int) minMembers,
                (int) number(root, "trust", "keySetupThreads", MeterTrust.DEFAULT_KEY_SETUP_THREADS),
                (int) number(root, "trust", "crlCheckSeconds", TrustFiles.DEFAULT_CRL_CHECK_SECONDS));
    }

    private static Path optionalPath(ObjectNode root, String section, String key) {
        String value = text(root, section, key, null);
        return value == null ? null : path(value, section + "." + key);
    }

    /** {@code mqtt.tls}: null when absent; otherwise a mapping of file paths (relative to the working directory). */
    private static TlsSettings tls(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException("mqtt.tls: must be a mapping with caFile, certFile, keyFile (and optionally crlFile)");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TLS_KEYS.contains(name)) {
                throw new ConfigException("unknown setting 'mqtt.tls." + name + "' (known: " + String.join(", ", new java.util.TreeSet<>(TLS_KEYS)) + ")");
            }
        }
        return new TlsSettings(tlsPath(node, "caFile"), tlsPath(node, "certFile"), tlsPath(node, "keyFile"), tlsPath(node, "crlFile"));
    }

    private static Path tlsPath(JsonNode tls, String key) {
        JsonNode value = tls.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ConfigException("mqtt.tls." + key + ": must be a file path");
        }
        try {
            return Path.of(value.asText());
        } catch (InvalidPathException e) {
            throw new ConfigException("mqtt.tls." + key + ": '" + value.asText() + "' is not a valid path: " + e.getReason());
        }
    }

    private static AnnouncementLimits announcementLimits(ObjectNode root) {
        long maxMembers = number(root, "group", "maxMembers", AnnouncementLimits.DEFAULT.maxMembers());
        long maxAdvance = number(root, "group", "maxEpochAdvance", AnnouncementLimits.DEFAULT.maxEpochAdvance());
        if (maxMembers < 1 || maxMembers > 1_000_000) {
            throw new ConfigException("group.maxMembers: must be between 1 and 1000000, was " + maxMembers);
        }
        if (maxAdvance < 1 || maxAdvance > 1_000_000) {
            throw new ConfigException("group.maxEpochAdvance: must be between 1 and 1000000, was " + maxAdvance);
        }
        return sparseGraph(root, new AnnouncementLimits((int) maxMembers, maxAdvance));
    }

    /**
     * {@code sparseGraph:} the assumptions under which the meter accepts a sparse mask graph (shared-crypto README
     * section 13.3); defaults 10 %, 10 %, 80 bits and the minimum row those give. Lowered only for simulations of
     * small groups (the meter logs a WARN).
     */
    private static AnnouncementLimits sparseGraph(ObjectNode root, AnnouncementLimits limits) {
        if (root.path("sparseGraph").isMissingNode() || root.path("sparseGraph").isNull()) {
            return limits;
        }
        GraphParameters d = GraphParameters.DEFAULT;
        long dishonest = number(root, "sparseGraph", "dishonestPercent", Math.round(d.dishonest() * 100));
        long missing = number(root, "sparseGraph", "missingPercent", Math.round(d.missing() * 100));
        long bits = number(root, "sparseGraph", "securityBits", d.securityBits());
        GraphParameters parameters;
        try {
            parameters = new GraphParameters(dishonest / 100.0, missing / 100.0, (int) bits);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sparseGraph: " + e.getMessage());
        }
        long minNeighbours = number(root, "sparseGraph", "minNeighbours", parameters.minimumRowSize());
        if (minNeighbours < 1) {
            throw new ConfigException("sparseGraph.minNeighbours: must be at least 1, was " + minNeighbours);
        }
        return new AnnouncementLimits(limits.maxMembers(), limits.maxEpochAdvance(), parameters, (int) minNeighbours);
    }

    private static ObjectNode readRoot(String yaml, String source) {
        JsonNode root;
        try {
            root = yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": the top level must be a mapping with meter:, mqtt:, group:, sensor:");
        }
        return (ObjectNode) root;
    }

    private static void checkKnown(ObjectNode root) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            Set<String> keys = KNOWN.get(section.getKey());
            if (keys == null) {
                throw new ConfigException("unknown setting '" + section.getKey() + "' (known: " + String.join(", ", KNOWN.keySet()) + ")");
            }
            JsonNode value = section.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isObject()) {
                throw new ConfigException(section.getKey() + ": must be a mapping");
            }
            if (keys.isEmpty()) {
                continue;
            }
            for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!keys.contains(name)) {
                    throw new ConfigException("unknown setting '" + section.getKey() + "." + name + "' (known: " + String.join(", ", keys) + ")");
                }
            }
        }
    }

    private static void applyOverrides(ObjectNode root, Overrides o) {
        if (o.broker() != null) {
            section(root, "mqtt").put("broker", o.broker());
        }
        if (o.meterId() != null) {
            section(root, "meter").put("id", o.meterId());
        }
        if (o.groupId() != null) {
            section(root, "group").put("id", o.groupId());
        }
        if (o.dataDir() != null) {
            section(root, "meter").put("dataDir", o.dataDir().toString());
        }
    }

    private static ObjectNode section(ObjectNode root, String name) {
        JsonNode node = root.get(name);
        return node instanceof ObjectNode obj ? obj : root.putObject(name);
    }

    private static String text(ObjectNode root, String section, String key, String fallback) {
        JsonNode node = root.path(section).path(key);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode() || node.isBoolean()) {
            throw new ConfigException(section + "." + key + ": must be a text value, was " + node.getNodeType().name().toLowerCase());
        }
        return node.asText();
    }

    private static long number(ObjectNode root, String section, String key, long fallback) {
        JsonNode node = root.path(section).path(key);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ConfigException(section + "." + key + ": must be a whole number, was '" + node.asText() + "'");
        }
        long value = node.asLong();
        // the int settings are cast by the caller: out of range either way must fail here, not wrap into a valid value
        if ((value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) && !key.equals("sessionExpirySeconds")) {
            throw new ConfigException(section + "." + key + ": " + value + " is out of range");
        }
        return value;
    }

    private static Path path(String value) {
        return path(value, "meter.dataDir");
    }

    private static Path path(String value, String setting) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(setting + ": '" + value + "' is not a valid path: " + e.getReason());
        }
    }

    private static SensorConfig sensor(ObjectNode root) {
        JsonNode node = root.get("sensor");
        Map<String, Object> settings = node == null || node.isNull()
                ? Map.of("type", "simulated")
                : YAML.convertValue(node, new TypeReference<Map<String, Object>>() { });
        try {
            return SensorConfigs.fromMap(settings);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new ConfigException(message.startsWith("sensor") ? message : "sensor: " + message, e);
        }
    }
}
