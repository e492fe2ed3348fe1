package org.psametering.headend.membership;

import java.util.List;

/** Durable membership log (implemented by the store; a fake in tests). Appends are forced to disk before returning. */
public interface MembershipJournal {
    /** Stores the events in one transaction; throws (a StorageException) and stores nothing on failure. */
    void append(List<MembershipEvent> events);

    /** Every event of the group, oldest first. */
    List<MembershipEvent> load(String group);
}
