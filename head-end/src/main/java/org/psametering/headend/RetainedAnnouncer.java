package org.psametering.headend;

import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.psametering.protocol.Topics;

/** Publishes a group's retained messages (announcement, key set) and deletes those of epochs nobody may use any more. */
final class RetainedAnnouncer {
    private final String group;
    private final Publisher publisher;

    RetainedAnnouncer(String group, Publisher publisher) {
        this.group = group;
        this.publisher = publisher;
    }

    void announce(EpochKeySetup setup) {
        publisher.publish(Topics.announce(group), setup.announcement().toJson(), true);
    }

    void publishKeySet(EpochKeySetup setup) {
        publisher.publish(Topics.keySet(group, setup.context().epoch()), setup.keySetMessage().toJson(), true);
    }

    /** The announcement and, once fixed, the key set again; meters treat a repeated one as a no-op. */
    void republish(EpochKeySetup setup) {
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
        publisher.publish(Topics.keySet(group, epoch), new byte[0], true);
        for (String meter : setup.members()) {
            publisher.publish(Topics.publicKey(group, epoch, meter), new byte[0], true);
        }
    }
}
