package org.psametering.headend;

import java.util.LinkedHashSet;
import java.util.Set;

import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a group's retained messages (announcement, key set) and deletes those of epochs nobody may use any more.
 * A publication that fails is not lost: {@link #retry} (each tick) publishes the current state again, and the
 * deletions that failed. The state, not the failed payload: an older announcement must never replace a newer one.
 */
final class RetainedAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(RetainedAnnouncer.class);

    private final String group;
    private final Publisher publisher;
    private boolean stale;
    private final Set<String> failedDeletions = new LinkedHashSet<>();

    RetainedAnnouncer(String group, Publisher publisher) {
        this.group = group;
        this.publisher = publisher;
    }

    void announce(EpochKeySetup setup) {
        stale |= !publish(Topics.announce(group), setup.announcement().toJson());
    }

    /**
     * The epoch's key set: one for the group (complete graph), or one per member on its own topic (sparse graph: the
     * member and exactly its neighbours; the group's would be megabytes and of no use to any one meter).
     */
    void publishKeySet(EpochKeySetup setup) {
        long epoch = setup.context().epoch();
        if (!setup.sparse()) {
            stale |= !publish(Topics.keySet(group, epoch), setup.keySetMessage().toJson());
            return;
        }
        for (String meter : setup.members()) {
            // built one at a time: all of them together are |row| times the group's key set
            stale |= !publish(Topics.meterKeySet(group, epoch, meter), setup.keySetMessageFor(meter).toJson());
        }
    }

    /** The announcement and, once fixed, the key set again; meters treat a repeated one as a no-op. */
    void republish(EpochKeySetup setup) {
        stale = false;
        announce(setup);
        if (setup.phase() == EpochPhase.KEYSET_PUBLISHED || setup.phase() == EpochPhase.ACTIVE) {
            publishKeySet(setup);
        }
    }

    /**
     * An epoch nobody may use any more: remove its retained keyset (a sparse epoch's per-meter ones too, once it had
     * them) and public keys from the broker (an empty retained payload deletes one), so they are not handed to every
     * new subscriber forever. The group key set topic is cleared for a sparse epoch too: clearing it also clears the
     * epoch's announcement ({@link PerEpochAnnouncements}). {@code restored}: the epoch was restored superseded, without
     * its keys, so whether it had per-meter key sets is unknown: they are deleted anyway (deleting none is harmless).
     */
    void clearRetained(EpochKeySetup setup, boolean restored) {
        long epoch = setup.context().epoch();
        delete(Topics.keySet(group, epoch));
        if (setup.sparse() && (restored || setup.keySet().isPresent())) {
            for (String meter : setup.members()) {
                delete(Topics.meterKeySet(group, epoch, meter));
            }
        }
        for (String meter : setup.members()) {
            delete(Topics.publicKey(group, epoch, meter));
        }
    }

    /** Publishes again what failed since the last call: the newest epoch's state, and the deletions. */
    void retry(EpochKeySetup latest) {
        if (stale && latest != null) {
            LOG.info("group {}: publishing the retained announcement and key set again after a failed publication", group);
            republish(latest);
        }
        for (String topic : Set.copyOf(failedDeletions)) {
            if (publish(topic, new byte[0])) {
                failedDeletions.remove(topic);
            }
        }
    }

    private void delete(String topic) {
        if (!publish(topic, new byte[0])) {
            failedDeletions.add(topic);
        }
    }

    private boolean publish(String topic, byte[] payload) {
        try {
            publisher.publish(topic, payload, true);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("group {}: retained {} not published (tried again at the next tick): {}", group, topic, e.toString());
            return false;
        }
    }
}
