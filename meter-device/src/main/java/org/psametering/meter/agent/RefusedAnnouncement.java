package org.psametering.meter.agent;

/** An announcement the meter will not act on; the agent counts it by {@link #reason()} and logs the message. */
final class RefusedAnnouncement extends RuntimeException {

    private final AnnouncementRefusal reason;

    RefusedAnnouncement(AnnouncementRefusal reason, String message) {
        super(message, null, false, false); // expected input, no stack trace needed
        this.reason = reason;
    }

    AnnouncementRefusal reason() {
        return reason;
    }
}
