package org.psametering.headend.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.psametering.headend.ReloadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/reload}. The API has no authentication, so the one call that changes anything is served
 * only to a client on a loopback address, and not through a proxy on this host (a request with Forwarded or
 * X-Forwarded-For headers came from elsewhere): 403 otherwise, whatever {@code http.bindAddress} is.
 */
final class AdminEndpoint extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);
    private final Supplier<ReloadResult> reload;

    AdminEndpoint(Supplier<ReloadResult> reload) {
        this.reload = reload;
    }

    @Override
    boolean serve(Exchange exchange) throws IOException {
        if (!exchange.path().replaceAll("/+$", "").equals("/admin/reload")) {
            return false;
        }
        if (!exchange.method().equals("POST")) {
            exchange.sendError(405, "use POST /admin/reload");
            return true;
        }
        SocketAddress remote = exchange.request().getConnectionMetaData().getRemoteSocketAddress();
        boolean loopback = remote instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        boolean proxied = exchange.request().getHeaders().contains("Forwarded") || exchange.request().getHeaders().contains("X-Forwarded-For");
        if (!loopback || proxied) {
            LOG.warn("HTTP POST /admin/reload refused: client {} {}", remote, proxied ? "sent proxy headers" : "is not on a loopback address");
            exchange.sendError(403, "/admin/reload is served only to clients on this host (loopback)");
            return true;
        }
        ReloadResult result = reload.get();
        ObjectNode node = Exchange.JSON.createObjectNode().put("applied", result.applied()).put("message", result.message());
        ArrayNode changed = node.putArray("groupsChanged");
        result.groupsChanged().forEach(changed::add);
        ArrayNode restart = node.putArray("needRestart");
        result.needRestart().forEach(restart::add);
        exchange.send(result.applied() ? 200 : 400, "application/json", Exchange.JSON.writeValueAsBytes(node));
        return true;
    }
}
