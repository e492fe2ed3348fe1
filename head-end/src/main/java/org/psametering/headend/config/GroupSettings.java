package org.psametering.headend.config;

import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.protocol.ProtocolIds;

/**
 * One aggregation group (e.g. a feeder). Changing {@code members}, {@code params} or {@code stepSeconds} starts a
 * new key epoch.
 *
 * @param deadlineSeconds    after the end of a step, how long to wait for missing members before recording it
 *                           INCOMPLETE
 * @param lateWindowSeconds  how far back (from now) a ciphertext is still accepted, e.g. to complete an INCOMPLETE step
 * @param keySetupWarnSeconds a key setup still unfinished after this long is logged once and shown as stalled in the
 *                           group's status (default 3600)
 */
public record GroupSettings(
        @JsonProperty("id") String id,
        @JsonProperty("params") String params,
        @JsonProperty("stepSeconds") Integer stepSeconds,
        @JsonProperty("deadlineSeconds") Integer deadlineSeconds,
        @JsonProperty("lateWindowSeconds") Integer lateWindowSeconds,
        @JsonProperty("members") List<String> members,
        @JsonProperty("keySetupWarnSeconds") Integer keySetupWarnSeconds) {

    public GroupSettings(String id, String params, Integer stepSeconds, Integer deadlineSeconds, Integer lateWindowSeconds,
                         List<String> members) {
        this(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, null);
    }

    public GroupSettings {
        if (!ProtocolIds.isValid(id)) {
            throw new ConfigException("groups[].id '" + id + "' is invalid: expected 1-64 characters of [A-Za-z0-9._-]");
        }
        // new groups recover steps with missing meters (scheme v2); an explicit v1 set still works, without recovery
        params = params == null || params.isBlank() ? PsaParameters.RECOVERABLE.name() : params;
        try {
            PsaParameters.byName(params);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("group " + id + ": params: " + e.getMessage(), e);
        }
        stepSeconds = stepSeconds == null ? 900 : stepSeconds;
        if (stepSeconds < 1 || stepSeconds > 86_400) {
            throw new ConfigException("group " + id + ": stepSeconds must be 1..86400, got " + stepSeconds);
        }
        deadlineSeconds = deadlineSeconds == null ? Math.max(1, stepSeconds / 3) : deadlineSeconds;
        if (deadlineSeconds < 0) {
            throw new ConfigException("group " + id + ": deadlineSeconds must be >= 0, got " + deadlineSeconds);
        }
        lateWindowSeconds = lateWindowSeconds == null ? Math.max(86_400, 4 * stepSeconds) : lateWindowSeconds;
        if (lateWindowSeconds < stepSeconds + deadlineSeconds) {
            throw new ConfigException("group " + id + ": lateWindowSeconds (" + lateWindowSeconds
                    + ") must be at least stepSeconds + deadlineSeconds (" + (stepSeconds + deadlineSeconds) + ")");
        }
        keySetupWarnSeconds = keySetupWarnSeconds == null ? 3600 : keySetupWarnSeconds;
        if (keySetupWarnSeconds < 1) {
            throw new ConfigException("group " + id + ": keySetupWarnSeconds must be >= 1, got " + keySetupWarnSeconds);
        }
        if (members == null || members.isEmpty()) {
            throw new ConfigException("group " + id + ": members must list at least one meter id");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String member : members) {
            if (!ProtocolIds.isValid(member)) {
                throw new ConfigException("group " + id + ": member '" + member + "' is invalid: expected 1-64 characters of [A-Za-z0-9._-]");
            }
            if (!sorted.add(member)) {
                throw new ConfigException("group " + id + ": member '" + member + "' is listed twice");
            }
        }
        members = List.copyOf(sorted);
        PsaParameters set = PsaParameters.byName(params);
        try {
            set.maxReading(members.size());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("group " + id + ": " + members.size() + " members are too many for params " + params + ": " + e.getMessage(), e);
        }
    }

    public PsaParameters parameters() {
        return PsaParameters.byName(params);
    }

    public GroupSettings withMembers(List<String> newMembers) {
        return new GroupSettings(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, newMembers, keySetupWarnSeconds);
    }
}
