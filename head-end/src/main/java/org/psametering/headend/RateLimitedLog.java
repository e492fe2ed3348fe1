package org.psametering.headend;

import java.util.EnumMap;

import org.psametering.headend.core.RejectReason;
import org.slf4j.Logger;

/**
 * Logs rejections without letting a flood of bad messages flood the log: the first of each reason at once, then
 * at most one line per reason per interval, with the number suppressed in between. Every message is truncated to
 * {@link LogIds#MAX} characters.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final EnumMap<RejectReason, long[]> state = new EnumMap<>(RejectReason.class);

    RateLimitedLog(Logger log, long intervalNanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
    }

    synchronized void rejected(RejectReason reason, String rawMessage) {
        // messages quote topics and ids an attacker chose: keep each line short
        String message = LogIds.id(rawMessage);
        long now = System.nanoTime();
        long[] s = state.computeIfAbsent(reason, r -> new long[]{now - intervalNanos, 0});
        if (now - s[0] >= intervalNanos) {
            if (s[1] > 0) {
                log.warn("rejected ({}): {} [{} more {} rejections since the last report]", reason, message, s[1], reason);
            } else {
                log.warn("rejected ({}): {}", reason, message);
            }
            s[0] = now;
            s[1] = 0;
        } else {
            s[1]++;
        }
    }
}
