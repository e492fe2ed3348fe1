package org.psametering.headend.http;

import java.io.IOException;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.psametering.headend.store.StorageException;
import org.psametering.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group of paths of the API, as a Jetty handler: {@link #serve} answers a request it owns and returns true, or
 * returns false so that the next handler of the sequence gets it. Every endpoint maps failures the same way: a refused
 * request to its status, a database failure to 503, anything else to 500 without the exception's text.
 */
abstract class Endpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    /** Answers the request and returns true if this endpoint owns its path, else returns false without answering. */
    abstract boolean serve(Exchange exchange) throws IOException;

    @Override
    public final boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, callback);
        try {
            return serve(exchange);
        } catch (ApiException e) {
            exchange.sendError(e.status(), e.getMessage());
        } catch (StorageException e) {
            LOG.error("HTTP {}: {}", LogSafe.text(exchange.path()), e.getMessage());
            exchange.sendError(503, "storage unavailable");
        } catch (RuntimeException | IOException e) {
            LOG.error("HTTP {}: {}", LogSafe.text(exchange.path()), e.toString(), e);
            exchange.sendError(500, "internal error");
        }
        return true;
    }

    static ApiException notFound(String path) {
        return new ApiException(404, "no such resource: " + LogSafe.text(path));
    }
}
