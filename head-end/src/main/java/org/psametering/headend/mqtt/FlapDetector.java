package org.psametering.headend.mqtt;

/**
 * Recognises a session takeover that the broker did not announce. MQTT 5 says the broker sends DISCONNECT with reason
 * code 0x8E to the client it displaces, but Mosquitto before 2.0.15 simply closes the connection, which looks like any
 * network drop. What gives it away is the rhythm: two clients with one id take the session from each other right
 * after each connects, and the broker is there at once whenever we knock again. {@link #LIMIT} links in a row that die
 * within {@link #WINDOW_NANOS} of coming up, with no failed connection attempt in between, are treated as a takeover
 * (long back-off) instead of being retried every second. A broker that restarts is unreachable for a moment, and the
 * failed attempt that meets it ends the run. Once a takeover is suspected, the next short-lived link confirms it at
 * once, so the back-off keeps growing instead of allowing {@link #LIMIT} quick fights after every wait.
 */
final class FlapDetector {
    static final int LIMIT = 3;
    static final long WINDOW_NANOS = 10_000_000_000L;

    /** How a lost link had lived. */
    enum Verdict { LONG_LIVED, SHORT_LIVED, FLAPPING }

    private long upSince;
    private int shortLived;
    private boolean suspected;

    synchronized void up(long nowNanos) {
        upSince = nowNanos;
    }

    /** A connection attempt failed: the broker was away, which a takeover never explains. */
    synchronized void connectFailed() {
        shortLived = 0;
        suspected = false;
    }

    /** Records a lost link; FLAPPING when it completes a run of {@link #LIMIT} short-lived links. */
    synchronized Verdict lost(long nowNanos) {
        boolean wasUp = upSince != 0;
        boolean shortLife = wasUp && nowNanos - upSince < WINDOW_NANOS;
        upSince = 0;
        if (!shortLife) {
            shortLived = 0;
            suspected = false;
            return wasUp ? Verdict.LONG_LIVED : Verdict.SHORT_LIVED;
        }
        if (suspected || ++shortLived >= LIMIT) {
            shortLived = 0;
            suspected = true;
            return Verdict.FLAPPING;
        }
        return Verdict.SHORT_LIVED;
    }
}
