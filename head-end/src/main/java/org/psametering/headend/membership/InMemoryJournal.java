package org.psametering.headend.membership;

import java.util.ArrayList;
import java.util.List;

/** A journal that forgets at exit: for cores built without a database-backed one (tools, old tests). */
public final class InMemoryJournal implements MembershipJournal {
    private final List<MembershipEvent> events = new ArrayList<>();

    @Override
    public synchronized void append(List<MembershipEvent> added) {
        events.addAll(added);
    }

    @Override
    public synchronized List<MembershipEvent> load(String group) {
        return events.stream().filter(e -> e.group().equals(group)).toList();
    }
}
