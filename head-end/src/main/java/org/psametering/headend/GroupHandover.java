package org.psametering.headend;

import java.util.Map;

import org.psametering.headend.config.GroupSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one group into or out of this instance, in the order that loses nothing. Taking: the fencing token first
 * (results may be stored from then on), then the group's stored state (epochs, pending ciphertexts, results, recovery
 * state) opened on the core thread, which republishes its signed retained announcements, and only then its MQTT session
 * (what the broker queued or redelivers is checked against that state, so a copy is refused as a duplicate). Dropping:
 * the session first (no new input), then the core forgets the group, then the token (no result may be stored any
 * more); whatever this instance did not acknowledge stays at the broker for the next owner.
 */
final class GroupHandover {
    private static final Logger LOG = LoggerFactory.getLogger(GroupHandover.class);
    private static final int SUBSCRIBE_TIMEOUT_SECONDS = 10;

    private final HeadEndCore core;
    private final CoreLoop loop;
    private final GroupSessions subscriptions;
    private final Map<String, Long> tokens;

    /** {@code tokens}: the fencing tokens of the owned groups, read by the result store's fence. */
    GroupHandover(HeadEndCore core, CoreLoop loop, GroupSessions subscriptions, Map<String, Long> tokens) {
        this.core = core;
        this.loop = loop;
        this.subscriptions = subscriptions;
        this.tokens = tokens;
    }

    /** Opens the group under {@code token}; throws (having undone it) if the state cannot be loaded or the session taken. */
    void take(GroupSettings settings, long token) {
        String group = settings.id();
        tokens.put(group, token);
        try {
            loop.await("open group " + group, () -> core.reconfigure(settings));
            subscriptions.add(group, SUBSCRIBE_TIMEOUT_SECONDS);
        } catch (RuntimeException e) {
            drop(group);
            throw e;
        }
    }

    /** Applies changed settings to an owned group. */
    void reconfigure(GroupSettings settings) {
        loop.await("reconfigure group " + settings.id(), () -> core.reconfigure(settings));
    }

    /** Stops hearing, then forgets the group; the token goes last (a step completed meanwhile may still be stored). */
    void drop(String group) {
        subscriptions.remove(group);
        try {
            loop.await("close group " + group, () -> core.close(group));
        } catch (RuntimeException e) {
            LOG.warn("group {}: not closed on the core thread: {}", group, e.getMessage());
        } finally {
            tokens.remove(group);
        }
    }

    /** The lease is gone (another instance may own the group already): the token goes first, so nothing more is stored. */
    void lost(String group) {
        tokens.remove(group);
        drop(group);
    }
}
