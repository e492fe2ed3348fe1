package org.psametering.headend.http;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import org.psametering.headend.GroupStatus;
import org.psametering.headend.ReloadResult;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.membership.GroupMembership;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.LogSafe;

/**
 * Everything the API reads, and the one action it may trigger ({@code reload}). The endpoints read only sums,
 * counters and states: nothing here holds a single meter's reading.
 */
public record ApiSources(Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections, Supplier<String> metrics,
                         Supplier<LinkStatus> link, StorageHealth storage, Clock clock,
                         Supplier<List<GroupMembership.Snapshot>> memberships, Supplier<ReloadResult> reload) {

    /** Without membership views, and with a reload that says there is nothing to reload. */
    public static ApiSources withoutMembership(Supplier<List<GroupStatus>> groups, ResultStore results, RejectionCounters rejections,
                                               Supplier<String> metrics, Supplier<LinkStatus> link, StorageHealth storage, Clock clock) {
        return new ApiSources(groups, results, rejections, metrics, link, storage, clock, List::of,
                () -> new ReloadResult(false, "this API has no configuration to reload", List.of(), List.of()));
    }

    GroupStatus group(String id) {
        return groups.get().stream().filter(g -> g.group().equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(404, "no group '" + LogSafe.text(id) + "'"));
    }

    GroupMembership.Snapshot membership(String group) {
        return memberships.get().stream().filter(m -> m.group().equals(group)).findFirst()
                .orElseThrow(() -> new ApiException(404, "no membership for group '" + LogSafe.text(group) + "'"));
    }
}
