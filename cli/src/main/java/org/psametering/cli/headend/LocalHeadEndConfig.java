package org.psametering.cli.headend;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.cli.trust.Provisioning;

/**
 * Head-end configuration for an in-process run (demo, benchmark, system tests): embedded H2 in a temp dir, no HTTP API,
 * identity from the run's throw-away CA ({@link Provisioning#shared()}).
 */
public final class LocalHeadEndConfig {
    private LocalHeadEndConfig() {
    }

    /**
     * @param tickMillis how often deadlines are checked; small for accelerated clocks
     */
    public static HeadEndConfig of(Path dataDir, String brokerUrl, int tickMillis, GroupSettings... groups) {
        // A fresh client id per run: the broker must not hand this head-end a previous run's persistent session.
        MqttSettings mqtt = new MqttSettings(brokerUrl, "psa-head-end-" + UUID.randomUUID(), null, null, 3600L);
        return new HeadEndConfig(dataDir, mqtt, StorageSettings.defaults(), new HttpSettings(-1, null), tickMillis, List.of(groups))
                .withTrust(Provisioning.headEnd(Provisioning.shared(), dataDir.resolve("trust")));
    }

    /** A group of {@code members} with the given timing; the late window is the head-end's default. */
    public static GroupSettings group(String id, String params, int stepSeconds, int deadlineSeconds, List<String> members) {
        return new GroupSettings(id, params, stepSeconds, deadlineSeconds, null, members);
    }
}
