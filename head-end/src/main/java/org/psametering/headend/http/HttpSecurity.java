package org.psametering.headend.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.psametering.crypto.pki.TlsContexts;
import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.mqtt.HeadEndTls;

/**
 * The HTTP API's optional protection, kept apart from the API's routes: HTTPS (TLS 1.3) on the connector, and an
 * access token that every request except {@code GET /health} and the web page's static files must present as
 * {@code Authorization: Bearer <token>}. {@code /health} stays open so a load balancer or systemd watchdog can probe it
 * without a secret; it reveals only whether the head-end is up. The page's files hold no data; the page asks for the
 * token and sends it with each API call. Without either option the API is plain and open, as before (bound to 127.0.0.1 by
 * default).
 */
public final class HttpSecurity {

    /** Shortest token accepted: 128 bits of base64 text. */
    static final int MIN_TOKEN_CHARS = 22;
    private static final byte[] UNAUTHORIZED =
            "{\"error\":\"missing or wrong access token (Authorization: Bearer ...)\"}".getBytes(StandardCharsets.UTF_8);

    private final Optional<SSLContext> tls;
    /** SHA-256 of the token: compared in constant time, and the token itself is not kept in memory longer than needed. */
    private final Optional<byte[]> tokenDigest;

    HttpSecurity(Optional<SSLContext> tls, Optional<String> token) {
        this.tls = tls;
        this.tokenDigest = token.map(HttpSecurity::digest);
    }

    public static HttpSecurity none() {
        return new HttpSecurity(Optional.empty(), Optional.empty());
    }

    /** From {@code http.tls} and {@code http.tokenFile}; throws {@link ConfigException} naming the setting if unusable. */
    public static HttpSecurity from(HttpSettings settings) {
        Optional<SSLContext> tls = Optional.ofNullable(settings.tls()).map(HeadEndTls::httpServerContext);
        Optional<String> token = Optional.ofNullable(settings.tokenFile()).map(HttpSecurity::readToken);
        return new HttpSecurity(tls, token);
    }

    public boolean tls() {
        return tls.isPresent();
    }

    public boolean tokenRequired() {
        return tokenDigest.isPresent();
    }

    private static String readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("http.tokenFile: cannot read " + file + ": " + e.getMessage(), e);
        }
        if (token.length() < MIN_TOKEN_CHARS || !token.matches("[\\x21-\\x7e]+")) {
            throw new ConfigException("http.tokenFile " + file + ": the token must be at least " + MIN_TOKEN_CHARS
                    + " printable characters without spaces (e.g. head -c 32 /dev/urandom | base64)");
        }
        return token;
    }

    /** The API's connector: HTTP/1.1, behind TLS when configured. */
    ServerConnector connector(Server server, HttpConfiguration http) {
        if (tls.isEmpty()) {
            return new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(tls.get());
        factory.setIncludeProtocols(TlsContexts.PROTOCOL);
        // no SNI host check: the certificate names the head-end, clients may dial it by address
        http.addCustomizer(new SecureRequestCustomizer(false));
        return new ServerConnector(server, 1, 1, new SslConnectionFactory(factory, "http/1.1"), new HttpConnectionFactory(http));
    }

    /** {@code api} behind the token check (or {@code api} itself without a token). */
    Handler guard(Handler api) {
        if (tokenDigest.isEmpty()) {
            return api;
        }
        return new Handler.Wrapper(api) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (open(request) || authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                    return super.handle(request, response, callback);
                }
                response.setStatus(401);
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"psa-head-end\"");
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(UNAUTHORIZED), callback);
                return true;
            }
        };
    }

    /**
     * Open without a token: {@code GET /health}, and the operator page's own files ({@code GET /}, {@code /ui},
     * {@code /ui/...}): they hold no data (every number comes from the API, which asks for the token), and the page
     * must load to show its sign-in form.
     */
    static boolean open(String method, String path) {
        if (!"GET".equals(method) || path == null) {
            return false;
        }
        String trimmed = path.replaceAll("/+$", "");
        return trimmed.equals("/health") || trimmed.isEmpty() || trimmed.equals("/ui") || path.startsWith("/ui/");
    }

    private static boolean open(Request request) {
        return open(request.getMethod(), request.getHttpURI().getDecodedPath());
    }

    boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest(header.substring(7).strip()), tokenDigest.orElseThrow());
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
