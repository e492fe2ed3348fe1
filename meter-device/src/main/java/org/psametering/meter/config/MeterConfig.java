package org.psametering.meter.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.psametering.hardware.SensorConfig;
import org.psametering.meter.agent.AnnouncementLimits;
import org.psametering.meter.agent.MeterAgent;

/**
 * Everything one meter needs to run (loaded from meter.yaml by {@link MeterConfigLoader}, or built in code by simulators).
 *
 * @param meterId         this meter's id in its group ([A-Za-z0-9._-]{1,64})
 * @param groupId         the group it reports to ([A-Za-z0-9._-]{1,64})
 * @param dataDir         where keys, epoch, last label and outbox are kept; {@code null} keeps them in memory only, which
 *                        is for simulations: a restarted in-memory meter has lost its keys and must wait for a new epoch
 * @param mqtt            broker connection
 * @param sensor          the energy sensor (used by {@code MeterMain}; programmatic callers pass an open sensor instead)
 * @param outboxCapacity  how many unsent ciphertexts are kept during broker outages, oldest dropped first
 * @param announcements   how far group announcements are believed ({@code group.maxMembers}, {@code group.maxEpochAdvance})
 * @param recoveryMinReporting {@code recovery.minReporting}: the smallest reporting set this meter helps to recover a
 *                        step for (at least 2: a set of one is a single reading; default
 *                        {@link #DEFAULT_RECOVERY_MIN_REPORTING})
 * @param trust           identity, CA and head-end name ({@code trust:} section); required to start: signatures are
 *                        always on; null only while a config is being assembled
 */
public record MeterConfig(String meterId, String groupId, Path dataDir, MqttSettings mqtt, SensorConfig sensor, int outboxCapacity,
                          AnnouncementLimits announcements, int recoveryMinReporting, TrustSource trust) {

    public static final int DEFAULT_RECOVERY_MIN_REPORTING = MeterAgent.Setup.DEFAULT_MIN_REPORTING;

    public MeterConfig(String meterId, String groupId, Path dataDir, MqttSettings mqtt, SensorConfig sensor, int outboxCapacity,
                       AnnouncementLimits announcements) {
        this(meterId, groupId, dataDir, mqtt, sensor, outboxCapacity, announcements, DEFAULT_RECOVERY_MIN_REPORTING, null);
    }

    /** A week of 15-minute steps. */
    public static final int DEFAULT_OUTBOX_CAPACITY = 7 * 24 * 4;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** With the default {@link AnnouncementLimits}. */
    public MeterConfig(String meterId, String groupId, Path dataDir, MqttSettings mqtt, SensorConfig sensor, int outboxCapacity) {
        this(meterId, groupId, dataDir, mqtt, sensor, outboxCapacity, AnnouncementLimits.DEFAULT);
    }

    public MeterConfig {
        Objects.requireNonNull(announcements, "announcements");
        checkId(meterId, "meter.id");
        checkId(groupId, "group.id");
        Objects.requireNonNull(mqtt, "mqtt");
        if (mqtt.tls() != null && !mqtt.clientId().equals(meterId)) {
            // the TLS check compares the certificate's CN with the client id; the broker's ACL uses the CN for topics
            throw new ConfigException("mqtt.clientId: with mqtt.tls it must be the meter id '" + meterId
                    + "' (the CN of the meter's certificate), was '" + mqtt.clientId() + "'");
        }
        if (outboxCapacity < 1 || outboxCapacity > 1_000_000) {
            throw new ConfigException("outbox.capacity: must be between 1 and 1000000, was " + outboxCapacity);
        }
        if (recoveryMinReporting < 2) {
            throw new ConfigException("recovery.minReporting: must be at least 2 (a reporting set of one is that meter's "
                    + "reading), was " + recoveryMinReporting);
        }
    }

    /** A simulation-friendly config: in-memory state, default MQTT options, no sensor config (the caller passes a sensor). */
    public static MeterConfig inMemory(String meterId, String groupId, String brokerUrl) {
        return new MeterConfig(meterId, groupId, null, MqttSettings.of(brokerUrl, meterId), null, DEFAULT_OUTBOX_CAPACITY);
    }

    public MeterConfig withDataDir(Path dir) {
        return new MeterConfig(meterId, groupId, dir, mqtt, sensor, outboxCapacity, announcements, recoveryMinReporting, trust);
    }

    public MeterConfig withMqtt(MqttSettings settings) {
        return new MeterConfig(meterId, groupId, dataDir, settings, sensor, outboxCapacity, announcements, recoveryMinReporting, trust);
    }

    public MeterConfig withRecoveryMinReporting(int minimum) {
        return new MeterConfig(meterId, groupId, dataDir, mqtt, sensor, outboxCapacity, announcements, minimum, trust);
    }

    public MeterConfig withTrust(TrustSource source) {
        return new MeterConfig(meterId, groupId, dataDir, mqtt, sensor, outboxCapacity, announcements, recoveryMinReporting, source);
    }

    static void checkId(String value, String setting) {
        if (value == null || value.isEmpty()) {
            throw new ConfigException(setting + ": missing");
        }
        if (!ID.matcher(value).matches()) {
            throw new ConfigException(setting + ": '" + value + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
    }
}
