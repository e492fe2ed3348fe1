package org.psametering.headend.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.psametering.protocol.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jetty answers by itself (malformed request, header too large, a handler that failed): the same JSON shape
 * as our own errors, with the standard reason phrase only, never an exception's text.
 */
final class JsonErrors extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        if (cause != null) {
            LOG.error("HTTP {}: {}", LogSafe.text(request.getHttpURI().getPath()), cause.toString(), cause);
        }
        byte[] body = Exchange.error(HttpStatus.getMessage(code));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, java.nio.ByteBuffer.wrap(body), callback);
    }
}
