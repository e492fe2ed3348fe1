package org.psametering.headend;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.membership.MembershipJournal;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topic;
import org.psametering.protocol.TopicKind;
import org.psametering.protocol.Topics;

/**
 * The head-end's side of automatic membership: one {@link GroupMembership} per group, fed by the core with stored
 * results and refused messages, asked at each tick whether a group must re-key. Owned by the core thread;
 * {@link #snapshots()} may be read from any thread.
 */
final class Memberships {
    private final MembershipJournal journal;
    private final Map<String, GroupMembership> groups = new LinkedHashMap<>();
    /** The groups, for readers on other threads (each membership publishes its own snapshot). */
    private volatile List<GroupMembership> readable = List.of();

    Memberships(MembershipJournal journal) {
        this.journal = journal;
    }

    /** A group opens: its membership is rebuilt from the journal; returns the settings its newest epoch must have. */
    GroupSettings open(GroupSettings configured) {
        GroupMembership membership = new GroupMembership(configured, journal);
        groups.put(configured.id(), membership);
        readable = List.copyOf(groups.values());
        return membership.effective();
    }

    /** A group this instance no longer owns (another head-end took it over). */
    void close(String group) {
        groups.remove(group);
        readable = List.copyOf(groups.values());
    }

    /** A changed configuration of an open group (journaled); returns the settings its newest epoch must have. */
    GroupSettings configure(GroupSettings configured, long nextEpoch, Instant now) {
        return groups.get(configured.id()).configure(configured, nextEpoch, now);
    }

    void onResult(StepResult result, List<String> epochMembers) {
        GroupMembership membership = groups.get(result.group());
        if (membership != null && epochMembers != null) {
            membership.onResult(result, epochMembers);
        }
    }

    /**
     * A refused ciphertext or public key of a meter not in the epoch it named, or for an epoch that no longer takes
     * it: the sign that a dropped member is back.
     */
    void onRejected(String topicName, RejectReason reason, Instant now) {
        if (reason != RejectReason.UNKNOWN_METER && reason != RejectReason.WRONG_EPOCH) {
            return;
        }
        Topic topic;
        try {
            topic = Topics.parse(topicName);
        } catch (MalformedMessageException | IllegalArgumentException e) {
            return;
        }
        if (topic.kind() != TopicKind.CIPHERTEXT && topic.kind() != TopicKind.PUBKEY) {
            return;
        }
        GroupMembership membership = groups.get(topic.group());
        if (membership != null) {
            membership.onRefused(topic.meterId(), now);
        }
    }

    /** The group's re-key the policy calls for now (journaled before it is returned), if any. */
    Optional<GroupSettings> due(String group, long nextEpoch, List<String> holdingUpKeySetup, Instant now) {
        return groups.get(group).due(nextEpoch, holdingUpKeySetup, now);
    }

    /** The settings the group's newest epoch must have now. */
    GroupSettings effective(String group) {
        return groups.get(group).effective();
    }

    /** Every group's current snapshot (any thread). */
    List<GroupMembership.Snapshot> snapshots() {
        List<GroupMembership.Snapshot> list = new ArrayList<>();
        readable.forEach(m -> list.add(m.snapshot()));
        return list;
    }
}
