package org.psametering.headend.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checked inside the transaction that ends a step (stores its result): throws {@link FencedOut} unless this instance
 * still owns the group. With several head-ends (see {@link LeaseStore}) this is what keeps an instance that lost its
 * lease (paused, cut off) from storing, and so from publishing, a step the new owner aggregates.
 */
@FunctionalInterface
public interface GroupFence {
    /** A single head-end owns every group. */
    GroupFence NONE = (c, group) -> { };

    void check(Connection c, String group) throws SQLException;

    /** This instance no longer owns the group: the write was rolled back. */
    final class FencedOut extends StorageException {
        private final String group;

        public FencedOut(String group, String message) {
            super(message, null);
            this.group = group;
        }

        public String group() {
            return group;
        }
    }
}
