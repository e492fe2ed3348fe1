package org.psametering.headend;

import java.util.List;

/** What an instance of several head-ends hears: one input per owned group ({@code mqtt.GroupSubscriptions}). */
public interface GroupSessions extends AutoCloseable {
    /** Starts hearing the group (waiting up to {@code timeoutSeconds}); throws if that fails, keeping nothing. */
    void add(String group, int timeoutSeconds);

    /** Stops hearing the group; what was not acknowledged stays at the broker for the next owner. */
    void remove(String group);

    /** Owned groups whose input is down right now. */
    List<String> down();

    @Override
    void close();
}
