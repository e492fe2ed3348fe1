package org.psametering.headend;

import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.Topic;
import org.psametering.protocol.TopicKind;
import org.psametering.protocol.Topics;

/**
 * Mirrors every group announcement onto its epoch's own retained topic ({@link Topics#epochAnnounce}), and clears
 * that topic together with the epoch's other retained messages (its key set).
 *
 * <p>Why: the group's announce topic keeps only the newest epoch. When epoch e+2's KEY_SETUP replaces e+1's ACTIVE
 * there before an offline meter reconnects, the meter never learns e+1's activeFromLabel and keeps encrypting under
 * e, which the head-end refuses as WRONG_EPOCH until e+2 is active. With the per-epoch topic the broker hands it
 * e+1's ACTIVE on reconnect. Kept as a decorator so the core's publishing is unchanged.
 */
public final class PerEpochAnnouncements implements Publisher {

    private final Publisher delegate;

    public PerEpochAnnouncements(Publisher delegate) {
        this.delegate = delegate;
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        delegate.publish(topic, payload, retained);
        Topic parsed;
        try {
            parsed = Topics.parse(topic);
        } catch (MalformedMessageException e) {
            return; // not a protocol topic: nothing to mirror
        }
        if (parsed.kind() == TopicKind.ANNOUNCE && parsed.epoch() < 0 && retained && payload.length > 0) {
            long epoch = GroupAnnouncement.fromJson(payload).epoch();
            delegate.publish(Topics.epochAnnounce(parsed.group(), epoch), payload, true);
        } else if (parsed.kind() == TopicKind.KEYSET && parsed.meter().isEmpty() && retained && payload.length == 0) {
            // the core clears an epoch's group key set exactly when the epoch is superseded or retired (a sparse
            // epoch's too; its per-meter key sets, cleared with it, do not repeat this)
            delegate.publish(Topics.epochAnnounce(parsed.group(), parsed.epoch()), new byte[0], true);
        }
    }
}
