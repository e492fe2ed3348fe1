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
 * @param dropAfterMissedSteps a member missing from this many consecutive step results is dropped in a new epoch
 *                           (default 96; 0 = never drop automatically)
 * @param minRekeyIntervalSeconds at least this long between two automatic membership re-keys (default 3600)
 * @param minMembers         an automatic drop never leaves fewer active members than this (default 5). The configured
 *                           list itself may be shorter (the operator's choice; the meters enforce their own minimum)
 * @param maskGraph          complete, sparse or auto (default): which pairs of members mask each other, see
 *                           {@link MaskGraphOption}. A sparse group needs at least
 *                           {@link MaskGraphOption#SPARSE_MIN_MEMBERS} configured members
 */
public record GroupSettings(
        @JsonProperty("id") String id,
        @JsonProperty("params") String params,
        @JsonProperty("stepSeconds") Integer stepSeconds,
        @JsonProperty("deadlineSeconds") Integer deadlineSeconds,
        @JsonProperty("lateWindowSeconds") Integer lateWindowSeconds,
        @JsonProperty("members") List<String> members,
        @JsonProperty("keySetupWarnSeconds") Integer keySetupWarnSeconds,
        @JsonProperty("dropAfterMissedSteps") Integer dropAfterMissedSteps,
        @JsonProperty("minRekeyIntervalSeconds") Integer minRekeyIntervalSeconds,
        @JsonProperty("minMembers") Integer minMembers,
        @JsonProperty("minReporting") Integer minReporting,
        @JsonProperty("recoveryWindowSeconds") Integer recoveryWindowSeconds,
        @JsonProperty("maskGraph") String maskGraph) {

    /**
     * Default smallest reporting set for which a step with missing meters is recovered: the meters' own default
     * minimum (they refuse smaller sets), large enough that a recovered sum does not single out a household.
     */
    public static final int DEFAULT_MIN_REPORTING = 5;
    /** Default for {@code dropAfterMissedSteps}: one day of 15-minute steps. */
    public static final int DEFAULT_DROP_AFTER_MISSED_STEPS = 96;
    /** Default for {@code minRekeyIntervalSeconds}: at most one automatic re-key per hour. */
    public static final int DEFAULT_MIN_REKEY_INTERVAL_SECONDS = 3600;
    /** Default for {@code minMembers}: below five members a sum comes too close to a single household's reading. */
    public static final int DEFAULT_MIN_MEMBERS = 5;

    public GroupSettings(String id, String params, Integer stepSeconds, Integer deadlineSeconds, Integer lateWindowSeconds,
                         List<String> members) {
        this(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, null);
    }

    public GroupSettings(String id, String params, Integer stepSeconds, Integer deadlineSeconds, Integer lateWindowSeconds,
                         List<String> members, Integer keySetupWarnSeconds) {
        this(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, keySetupWarnSeconds, null, null, null, null, null, null);
    }

    /** Without a mask-graph setting (auto). */
    public GroupSettings(String id, String params, Integer stepSeconds, Integer deadlineSeconds, Integer lateWindowSeconds,
                         List<String> members, Integer keySetupWarnSeconds, Integer dropAfterMissedSteps,
                         Integer minRekeyIntervalSeconds, Integer minMembers, Integer minReporting, Integer recoveryWindowSeconds) {
        this(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, keySetupWarnSeconds, dropAfterMissedSteps,
                minRekeyIntervalSeconds, minMembers, minReporting, recoveryWindowSeconds, null);
    }

    /** The same group with another recovery minimum and window (null: the defaults). */
    public GroupSettings withRecovery(Integer minimum, Integer windowSeconds) {
        return new GroupSettings(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, keySetupWarnSeconds,
                dropAfterMissedSteps, minRekeyIntervalSeconds, minMembers, minimum, windowSeconds, maskGraph);
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
        dropAfterMissedSteps = dropAfterMissedSteps == null ? DEFAULT_DROP_AFTER_MISSED_STEPS : dropAfterMissedSteps;
        if (dropAfterMissedSteps < 0) {
            throw new ConfigException("group " + id + ": dropAfterMissedSteps must be >= 0 (0 = never drop), got " + dropAfterMissedSteps);
        }
        minRekeyIntervalSeconds = minRekeyIntervalSeconds == null ? DEFAULT_MIN_REKEY_INTERVAL_SECONDS : minRekeyIntervalSeconds;
        if (minRekeyIntervalSeconds < 0) {
            throw new ConfigException("group " + id + ": minRekeyIntervalSeconds must be >= 0, got " + minRekeyIntervalSeconds);
        }
        minMembers = minMembers == null ? DEFAULT_MIN_MEMBERS : minMembers;
        if (minMembers < 2) {
            throw new ConfigException("group " + id + ": minMembers must be >= 2 (one member's sum is its reading), got " + minMembers);
        }
        minReporting = minReporting == null ? DEFAULT_MIN_REPORTING : minReporting;
        if (minReporting < 2) {
            throw new ConfigException("group " + id + ": minReporting must be >= 2 (the sum over one reporting meter is "
                    + "its reading), got " + minReporting);
        }
        recoveryWindowSeconds = recoveryWindowSeconds == null ? Math.max(1, deadlineSeconds) : recoveryWindowSeconds;
        if (recoveryWindowSeconds < 1) {
            throw new ConfigException("group " + id + ": recoveryWindowSeconds must be >= 1, got " + recoveryWindowSeconds);
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
        maskGraph = MaskGraphOption.parse(id, maskGraph).configName();
    }

    /**
     * Checks a configured group (not the effective one, whose members may have been dropped for absence): a sparse
     * group needs at least {@link MaskGraphOption#SPARSE_MIN_MEMBERS} members.
     */
    public GroupSettings requireServableGraph() {
        if (maskGraphOption() == MaskGraphOption.SPARSE && members.size() < MaskGraphOption.SPARSE_MIN_MEMBERS) {
            throw new ConfigException("group " + id + ": maskGraph sparse needs at least " + MaskGraphOption.SPARSE_MIN_MEMBERS
                    + " members (below that the meters' minimum of 35 neighbours per row leaves almost nothing to save and"
                    + " refuses too many rows), it lists " + members.size() + "; use complete or auto");
        }
        return this;
    }

    /** The group's mask-graph option (never null: auto unless configured). */
    public MaskGraphOption maskGraphOption() {
        return MaskGraphOption.parse(id, maskGraph);
    }

    /** The same group with another mask-graph setting: complete, sparse or auto (null: auto). */
    public GroupSettings withMaskGraph(String option) {
        return new GroupSettings(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, keySetupWarnSeconds,
                dropAfterMissedSteps, minRekeyIntervalSeconds, minMembers, minReporting, recoveryWindowSeconds, option);
    }

    public PsaParameters parameters() {
        return PsaParameters.byName(params);
    }

    public GroupSettings withMembers(List<String> newMembers) {
        return new GroupSettings(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, newMembers, keySetupWarnSeconds,
                dropAfterMissedSteps, minRekeyIntervalSeconds, minMembers, minReporting, recoveryWindowSeconds, maskGraph);
    }

    /** The same group with other membership-policy settings (tests, the demo). */
    public GroupSettings withMembershipPolicy(int dropAfterMissedSteps, int minRekeyIntervalSeconds, int minMembers) {
        return new GroupSettings(id, params, stepSeconds, deadlineSeconds, lateWindowSeconds, members, keySetupWarnSeconds,
                dropAfterMissedSteps, minRekeyIntervalSeconds, minMembers, minReporting, recoveryWindowSeconds, maskGraph);
    }
}
