package org.psametering.headend.mqtt;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between connection attempts: doubling from 1 s to 30 s after a lost link. After a session takeover (another
 * client connected with our client id) the wait starts at 60 s and doubles to 10 min: two head-ends sharing an id must
 * not kick each other off in a tight loop, and the operator has to fix the configuration anyway. A random 0-20 % is
 * added so that many clients do not knock again in the same instant.
 */
final class ReconnectBackoff {
    static final long FIRST_MILLIS = 1_000;
    static final long MAX_MILLIS = 30_000;
    static final long TAKEOVER_FIRST_MILLIS = 60_000;
    static final long TAKEOVER_MAX_MILLIS = 600_000;

    private long next = FIRST_MILLIS;
    private long nextAfterTakeover = TAKEOVER_FIRST_MILLIS;

    /** The base delay (without jitter) before the next attempt; advances the sequence. */
    synchronized long nextBaseMillis(boolean takeover) {
        if (takeover) {
            long delay = nextAfterTakeover;
            nextAfterTakeover = Math.min(nextAfterTakeover * 2, TAKEOVER_MAX_MILLIS);
            next = Math.max(next, FIRST_MILLIS);
            return delay;
        }
        long delay = next;
        next = Math.min(next * 2, MAX_MILLIS);
        return delay;
    }

    static long withJitter(long baseMillis) {
        return baseMillis + ThreadLocalRandom.current().nextLong(baseMillis / 5 + 1);
    }

    /** After a connection that worked; a takeover streak is only forgiven when a link ends for another reason. */
    synchronized void connected() {
        next = FIRST_MILLIS;
    }

    synchronized void lostForAnotherReason() {
        nextAfterTakeover = TAKEOVER_FIRST_MILLIS;
    }
}
