package org.psametering.meter.agent;

/**
 * How far a meter believes a group announcement (config {@code group.maxMembers}, {@code group.maxEpochAdvance}).
 * Without signatures anyone who can publish on the announce topic can send one; these bounds keep a single bogus
 * retained message from making the meter do absurd work or pinning it to an epoch the head-end will never run.
 *
 * @param maxMembers      largest member list accepted (the key set and the blinding work grow with it)
 * @param maxEpochAdvance how far above the newest active epoch a new epoch number may be
 */
public record AnnouncementLimits(int maxMembers, long maxEpochAdvance) {

    /** Ten thousand members is far above any feeder group; sixteen epochs covers re-keys missed while offline. */
    public static final AnnouncementLimits DEFAULT = new AnnouncementLimits(10_000, 16);

    public AnnouncementLimits {
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers must be at least 1, was " + maxMembers);
        }
        if (maxEpochAdvance < 1) {
            throw new IllegalArgumentException("maxEpochAdvance must be at least 1, was " + maxEpochAdvance);
        }
    }
}
