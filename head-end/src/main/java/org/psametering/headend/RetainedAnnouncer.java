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

    void publishKeySet(EpochKeySetup setup) {
        stale |= !publish(Topics.keySet(group, setup.context().epoch()), setup.keySetMessage().toJson());
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
     * An epoch nobody may use any more: remove its retained keyset and public keys from the broker (an empty
     * retained payload deletes one), so they are not handed to every new subscriber forever.
     */
    void clearRetained(EpochKeySetup setup) {
        long epoch = setup.context().epoch();
        delete(Topics.keySet(group, epoch));
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
