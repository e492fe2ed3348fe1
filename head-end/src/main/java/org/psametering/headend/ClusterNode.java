package org.psametering.headend;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.psametering.headend.config.ClusterSettings;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.MqttSettings;
import org.psametering.headend.http.HttpApi;
import org.psametering.headend.mqtt.GroupSubscriptions;
import org.psametering.headend.mqtt.HeadEndTls;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.GroupFence;
import org.psametering.headend.store.LeaseStore;

/**
 * This head-end as one of several sharing the groups (the {@code cluster:} section): its leases, its fence, its
 * per-group sessions and the keeper that moves groups in and out. What {@link HeadEnd} wires in when the section is
 * there; without it the head-end owns every group and none of this exists.
 */
final class ClusterNode implements AutoCloseable {
    private final ClusterSettings settings;
    private final HeadEndConfig config;
    private final LeaseStore leases;
    private final Map<String, Long> tokens = LeaseKeeper.newTokenMap();
    private GroupSubscriptions subscriptions;
    private LeaseKeeper keeper;

    private ClusterNode(HeadEndConfig config, LeaseStore leases) {
        this.settings = config.cluster();
        this.config = config;
        this.leases = leases;
    }

    /** Creates the lease tables if needed (PostgreSQL only: the configuration refuses the section with H2). */
    static ClusterNode open(HeadEndConfig config, Database database) {
        return new ClusterNode(config, new LeaseStore(database, config.cluster().instanceId(), config.cluster().leaseSeconds()));
    }

    /** Checked by the stores in the transactions that end a step or start/activate an epoch. */
    GroupFence fence() {
        return leases.fence(tokens);
    }

    /**
     * The instance's own link: the configured client id with the instance's name (instances never take each other's
     * session); it subscribes to nothing and carries the publications.
     */
    MqttSettings instanceLink() {
        MqttSettings mqtt = config.mqtt();
        return new MqttSettings(mqtt.broker(), mqtt.clientId() + "-" + settings.instanceId(), mqtt.username(), mqtt.password(),
                mqtt.sessionExpirySeconds(), mqtt.tls());
    }

    /**
     * Ties the node to the core (before the loop starts); groups are taken only at {@link #start}. {@code tls}: the
     * instance link's TLS client, which the group sessions share (one CRL watcher, the one /health reports).
     */
    void attach(HeadEndCore core, CoreLoop loop, Consumer<InboundMessage> sink, HeadEndMetrics metrics, HttpApi http,
                java.util.Optional<HeadEndTls.Client> tls) {
        subscriptions = new GroupSubscriptions(config.mqtt(), sink, tls, tokens::containsKey);
        keeper = new LeaseKeeper(settings, leases, new GroupHandover(core, loop, subscriptions, tokens), tokens, config.groups(),
                subscriptions::down);
        metrics.cluster(keeper);
        if (http != null) {
            http.showCluster(keeper::state);
        }
    }

    /** The first lease round (a lone instance owns its groups when this returns), then the schedule. */
    void start() {
        keeper.start();
    }

    /** A changed configuration (reload): applied to the owned groups now, to the others when taken. */
    void configure(List<GroupSettings> groups) {
        keeper.configure(groups);
    }

    int groupsOwned() {
        return keeper.groupsOwned();
    }

    String instanceId() {
        return settings.instanceId();
    }

    /** Hands the groups back (sessions left at the broker, leases released) so the others take them at once. */
    @Override
    public void close() {
        if (keeper != null) {
            keeper.close();
        }
        if (subscriptions != null) {
            subscriptions.close();
        }
    }
}
