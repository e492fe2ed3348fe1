package org.psametering.headend.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request and the means to answer it. */
record Exchange(Request request, Response response, Callback callback) {
    static final ObjectMapper JSON = new ObjectMapper();

    String path() {
        String path = request.getHttpURI().getDecodedPath();
        return path == null ? "/" : path;
    }

    /** The path without trailing slashes, split at '/'; element 0 is "" (the leading slash). */
    String[] parts() {
        return path().replaceAll("/+$", "").split("/");
    }

    String method() {
        return request.getMethod();
    }

    QueryParams query() {
        return QueryParams.parse(request.getHttpURI().getQuery());
    }

    void sendJson(Object node) throws IOException {
        send(200, "application/json", JSON.writeValueAsBytes(node));
    }

    void sendError(int status, String message) {
        send(status, "application/json", error(message));
    }

    void send(int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static byte[] error(String message) {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
