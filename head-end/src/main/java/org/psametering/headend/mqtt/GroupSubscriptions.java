package org.psametering.headend.mqtt;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.psametering.headend.GroupSessions;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.config.MqttSettings;
import org.psametering.protocol.ProtocolIds;
import org.psametering.protocol.Topics;

/**
 * With several head-ends: what this instance hears, one MQTT session per owned group. Each group has its own client
 * id ({@code <mqtt.clientId>-group-<group>}) with a persistent session, the same on every instance, so whoever owns the
 * group holds that session: while the owner is dead the broker queues the group's messages in it, and the new owner,
 * connecting with that client id, receives them, with whatever the dead one had not acknowledged. (Per-instance
 * subscriptions would lose what meters send between the death and the takeover.) Publications go out on the
 * instance's own link, not here.
 */
public final class GroupSubscriptions implements GroupSessions {
    private final MqttSettings settings;
    private final Consumer<InboundMessage> sink;
    /** The instance's TLS client: one watcher of the CRL file for all its sessions (see MqttTransport). */
    private final java.util.Optional<HeadEndTls.Client> tls;
    private final Map<String, MqttTransport> links = new ConcurrentHashMap<>();

    /** Whether this instance owns a group now: once it does not, the new owner taking the session over is expected. */
    private final java.util.function.Predicate<String> owned;

    /**
     * {@code tls}: the instance link's TLS client ({@link MqttTransport#tls()}), shared by every group session;
     * {@code owned}: whether this instance owns a group (its lease), asked when a group's session is taken over.
     */
    public GroupSubscriptions(MqttSettings settings, Consumer<InboundMessage> sink, java.util.Optional<HeadEndTls.Client> tls,
                              java.util.function.Predicate<String> owned) {
        this.settings = settings;
        this.sink = sink;
        this.tls = tls;
        this.owned = owned;
    }

    /** The client id of a group's session, the same on every instance. */
    public static String clientId(String base, String group) {
        return base + "-group-" + ProtocolIds.require("group id", group);
    }

    /** The inbound topics of one group: public keys, blinded keys, ciphertexts, recovery answers. */
    public static List<String> filters(String group) {
        return List.of(Topics.publicKeysFilter(group), Topics.blindedKeysFilter(group), Topics.ciphertextsFilter(group),
                Topics.ROOT + ProtocolIds.require("group id", group) + "/+/answer/+");
    }

    /**
     * Takes over the group's session and subscribes (waiting up to {@code timeoutSeconds}); the broker then delivers
     * what it queued. Throws if that fails (nothing is kept then).
     */
    @Override
    public void add(String group, int timeoutSeconds) {
        if (links.containsKey(group)) {
            return;
        }
        MqttTransport link = new MqttTransport(new MqttSettings(settings.broker(), clientId(settings.clientId(), group), settings.username(),
                settings.password(), settings.sessionExpirySeconds(), settings.tls()), sink, filters(group), tls);
        link.expectTakeoverWhen(() -> !owned.test(group));
        try {
            link.start(timeoutSeconds);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
        links.put(group, link);
    }

    /**
     * Stops hearing the group: a clean disconnect that leaves the session (and what it queues, and what this instance
     * did not acknowledge yet) at the broker for the next owner.
     */
    @Override
    public void remove(String group) {
        MqttTransport link = links.remove(group);
        if (link != null) {
            link.close();
        }
    }

    public Set<String> groups() {
        return Set.copyOf(links.keySet());
    }

    /** The owned groups whose session is down right now (reconnecting); not one the new owner just took over. */
    @Override
    public List<String> down() {
        return links.entrySet().stream().filter(e -> !e.getValue().isConnected() && owned.test(e.getKey())).map(Map.Entry::getKey)
                .sorted().toList();
    }

    @Override
    public void close() {
        links.keySet().forEach(this::remove);
    }
}
