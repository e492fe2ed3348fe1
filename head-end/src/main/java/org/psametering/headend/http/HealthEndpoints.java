package org.psametering.headend.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.psametering.headend.CrlWatch;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.mqtt.LinkStatus;

/** {@code /health}, {@code /metrics} (Prometheus) and {@code /rejections}: how the head-end itself is doing. */
final class HealthEndpoints extends Endpoint {
    private final ApiSources sources;
    private final AtomicReference<Supplier<Map<String, Object>>> cluster;

    private final AtomicReference<CrlWatch> crls;

    HealthEndpoints(ApiSources sources) {
        this(sources, new AtomicReference<>(), new AtomicReference<>(CrlWatch.NONE));
    }

    HealthEndpoints(ApiSources sources, AtomicReference<Supplier<Map<String, Object>>> cluster, AtomicReference<CrlWatch> crls) {
        this.sources = sources;
        this.cluster = cluster;
        this.crls = crls;
    }

    @Override
    boolean serve(Exchange exchange) throws IOException {
        String[] parts = exchange.parts();
        if (parts.length != 2) {
            return false;
        }
        switch (parts[1]) {
            case "health" -> health(exchange);
            case "metrics" -> exchange.send(200, "text/plain; version=0.0.4; charset=utf-8", Exchange.utf8(sources.metrics().get()));
            case "rejections" -> {
                ObjectNode node = Exchange.JSON.createObjectNode();
                sources.rejections().snapshot().forEach((reason, count) -> node.put(reason.name(), count));
                node.put("total", sources.rejections().total());
                exchange.sendJson(node);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * UP only while the head-end can hear meters (connected to the broker and subscribed) and store what they send
     * (the last database write worked): either failure stops ingest, so either makes it DOWN.
     */
    private void health(Exchange exchange) throws IOException {
        LinkStatus status = sources.link().get();
        Optional<StorageHealth.Failure> storageFailure = sources.storage().failure();
        Supplier<Map<String, Object>> clusterState = cluster.get();
        Map<String, Object> clusterNow = clusterState == null ? null : clusterState.get();
        boolean clusterUp = clusterNow == null || !Boolean.FALSE.equals(clusterNow.get("up"));
        boolean up = status.up() && storageFailure.isEmpty() && clusterUp;
        ObjectNode node = Exchange.JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
        if (clusterNow != null) {
            node.set("cluster", Exchange.JSON.valueToTree(clusterNow));
        }
        node.putObject("mqtt").put("connected", status.connected()).put("subscribed", status.subscribed())
                .put("sessionTakeovers", status.sessionTakeovers()).put("reconnects", status.reconnects())
                .put("outbox", status.outboxSize()).put("outboxDropped", status.outboxDropped());
        ObjectNode storageNode = node.putObject("storage").put("up", storageFailure.isEmpty());
        storageFailure.ifPresent(f -> storageNode.put("error", f.error()).put("since", f.since().toString()));
        // a CRL file that cannot be reloaded stops nothing (the previous CRL stays in force), so the head-end stays UP
        // (200) but degraded: revocations issued since are not seen
        CrlWatch watch = crls.get();
        List<String> crlProblems = watch.problems();
        node.put("degraded", !crlProblems.isEmpty());
        ObjectNode crlNode = node.putObject("crl").put("watched", watch.files().size()).put("failedReloads", watch.failedReloads());
        crlProblems.forEach(crlNode.putArray("problems")::add);
        if (!crlProblems.isEmpty()) {
            node.put("degradedReason", "CRL not reloaded, the previous one stays in force: " + String.join("; ", crlProblems));
        }
        if (!up) {
            List<String> reasons = new ArrayList<>();
            if (!status.up()) {
                reasons.add(status.reason() == null ? "MQTT link down" : status.reason());
            }
            storageFailure.ifPresent(f -> reasons.add("database cannot store since " + f.since() + ": " + f.error()));
            if (!clusterUp) {
                reasons.add("cluster: " + clusterNow.get("reason"));
            }
            node.put("reason", String.join("; ", reasons));
        }
        exchange.send(up ? 200 : 503, "application/json", Exchange.JSON.writeValueAsBytes(node));
    }
}
