package org.psametering.headend.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.psametering.headend.core.StepResult;
import org.psametering.protocol.ResultReason;
import org.psametering.protocol.ResultStatus;

/**
 * Recorded time-step results. Recording a COMPLETE or RECOVERED result also deletes the step's pending ciphertexts in the same
 * transaction, so the inputs disappear exactly when the result is there, never before.
 */
public final class ResultStore {
    private static final String COLUMNS = "group_id, epoch, label, step_start, step_seconds, status, total, missing, reported, recorded_at, reason";
    private final Database db;
    private final GroupFence fence;

    public ResultStore(Database db) {
        this(db, GroupFence.NONE);
    }

    /** With several head-ends: {@code fence} is checked for every group in the transaction that stores its results. */
    public ResultStore(Database db, GroupFence fence) {
        this.db = db;
        this.fence = fence;
    }

    /** Inserts or replaces (an INCOMPLETE step may later become COMPLETE). */
    public void save(List<StepResult> results) {
        if (results.isEmpty()) {
            return;
        }
        Transactions.run(db, "record " + results.size() + " results", c -> {
            // first: a fenced-out instance writes nothing, and the lease row stays share-locked until the commit
            for (String group : results.stream().map(StepResult::group).distinct().toList()) {
                fence.check(c, group);
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM psa_result WHERE group_id = ? AND epoch = ? AND label = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO psa_result (" + COLUMNS + ", published) VALUES (?,?,?,?,?,?,?,?,?,?,?,FALSE)");
                 PreparedStatement consume = c.prepareStatement("DELETE FROM psa_pending WHERE group_id = ? AND epoch = ? AND label = ?")) {
                for (StepResult result : results) {
                    delete.setString(1, result.group());
                    delete.setLong(2, result.epoch());
                    delete.setLong(3, result.label());
                    delete.addBatch();
                    insert.setString(1, result.group());
                    insert.setLong(2, result.epoch());
                    insert.setLong(3, result.label());
                    insert.setLong(4, result.stepStart().getEpochSecond());
                    insert.setInt(5, result.stepSeconds());
                    insert.setString(6, result.status().name());
                    if (result.sum().isPresent()) {
                        insert.setLong(7, result.sum().getAsLong());
                    } else {
                        insert.setNull(7, Types.BIGINT);
                    }
                    insert.setString(8, String.join(",", result.missing()));
                    insert.setInt(9, result.reported());
                    insert.setLong(10, result.recordedAt().toEpochMilli());
                    insert.setString(11, result.reason().map(Enum::name).orElse(null));
                    insert.addBatch();
                    if (result.status() == ResultStatus.COMPLETE || result.status() == ResultStatus.RECOVERED) {
                        consume.setString(1, result.group());
                        consume.setLong(2, result.epoch());
                        consume.setLong(3, result.label());
                        consume.addBatch();
                    }
                }
                delete.executeBatch();
                insert.executeBatch();
                consume.executeBatch();
            }
            // no forced write: if a crash loses this commit, the step's inputs are still stored as pending and the
            // same result is derived again after the restart
        });
    }

    /** Notes that these results were handed to the broker; the others are published again (an outbox). */
    public void markPublished(List<StepResult> results) {
        if (results.isEmpty()) {
            return;
        }
        Transactions.run(db, "mark " + results.size() + " results published", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE psa_result SET published = TRUE WHERE group_id = ? AND epoch = ? AND label = ? AND recorded_at = ?")) {
                for (StepResult result : results) {
                    p.setString(1, result.group());
                    p.setLong(2, result.epoch());
                    p.setLong(3, result.label());
                    p.setLong(4, result.recordedAt().toEpochMilli());
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    /** Recorded results not yet handed to the broker (a crash or a failed publication came in between), oldest first. */
    public List<StepResult> unpublished() {
        return query("SELECT " + COLUMNS + " FROM psa_result WHERE published = FALSE ORDER BY step_start, epoch", p -> { });
    }

    /** Results of a group whose step starts in [from, to), oldest first. */
    public List<StepResult> between(String group, Instant from, Instant to) {
        return query("SELECT " + COLUMNS + " FROM psa_result WHERE group_id = ? AND step_start >= ? AND step_start < ? ORDER BY step_start, epoch",
                p -> {
                    p.setString(1, group);
                    p.setLong(2, from.getEpochSecond());
                    p.setLong(3, to.getEpochSecond());
                });
    }

    /** Results of one epoch from {@code fromLabel} on (used to rebuild the collector after a restart). */
    public List<StepResult> ofEpoch(String group, long epoch, long fromLabel) {
        return query("SELECT " + COLUMNS + " FROM psa_result WHERE group_id = ? AND epoch = ? AND label >= ? ORDER BY label", p -> {
            p.setString(1, group);
            p.setLong(2, epoch);
            p.setLong(3, fromLabel);
        });
    }

    private interface Binder {
        void bind(PreparedStatement p) throws SQLException;
    }

    private List<StepResult> query(String sql, Binder binder) {
        List<StepResult> results = new ArrayList<>();
        Transactions.run(db, "read results", c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                binder.bind(p);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        long total = r.getLong(7);
                        OptionalLong sum = r.wasNull() ? OptionalLong.empty() : OptionalLong.of(total);
                        String missing = r.getString(8);
                        results.add(new StepResult(r.getString(1), r.getLong(2), r.getLong(3), Instant.ofEpochSecond(r.getLong(4)), r.getInt(5),
                                ResultStatus.valueOf(r.getString(6)), sum, missing.isEmpty() ? List.of() : Arrays.asList(missing.split(",")),
                                r.getInt(9), Instant.ofEpochMilli(r.getLong(10)),
                                Optional.ofNullable(r.getString(11)).map(ResultReason::valueOf)));
                    }
                }
            }
        });
        return results;
    }
}
