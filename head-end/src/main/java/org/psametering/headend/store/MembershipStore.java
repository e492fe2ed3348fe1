package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.psametering.headend.membership.MembershipEvent;
import org.psametering.headend.membership.MembershipJournal;

/**
 * The membership log (table psa_membership_log): every drop, re-admission, addition and removal of a member. The
 * current membership is derived from it at start, so an append is forced to the device like a key-setup write: a
 * drop that a crash forgot would re-admit a dead meter and stall the next key setup.
 */
public final class MembershipStore implements MembershipJournal {
    private final Database db;

    public MembershipStore(Database db) {
        this.db = db;
    }

    @Override
    public void append(List<MembershipEvent> events) {
        Transactions.run(db, "append " + events.size() + " membership events", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO psa_membership_log (group_id, seq, at_millis, meter_id, change_kind, "
                    + "epoch, reason) VALUES (?,?,?,?,?,?,?)")) {
                for (MembershipEvent e : events) {
                    p.setString(1, e.group());
                    p.setLong(2, e.seq());
                    p.setLong(3, e.at().toEpochMilli());
                    p.setString(4, e.meter());
                    p.setString(5, e.change().name());
                    p.setLong(6, e.epoch());
                    p.setString(7, e.reason());
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
            db.makeDurable(c);
        });
    }

    @Override
    public List<MembershipEvent> load(String group) {
        List<MembershipEvent> events = new ArrayList<>();
        Transactions.run(db, "load membership log of " + group, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT seq, at_millis, meter_id, change_kind, epoch, reason FROM psa_membership_log "
                    + "WHERE group_id = ? ORDER BY seq")) {
                p.setString(1, group);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        events.add(new MembershipEvent(group, r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3),
                                MembershipEvent.Change.valueOf(r.getString(4)), r.getLong(5), r.getString(6)));
                    }
                }
            }
        });
        return events;
    }
}
