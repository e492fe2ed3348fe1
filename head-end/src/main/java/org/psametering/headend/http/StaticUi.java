package org.psametering.headend.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;

/**
 * The operator's web page: {@code /} redirects to {@code /ui/}, which serves the overview; {@code /ui/<file>} the
 * page's own files (from the jar, package {@code org/psametering/headend/ui}); {@code /ui/lib/echarts.min.js} the chart
 * library from its WebJar. Only names of that shape are looked up, so no request reaches any other resource of the
 * class path. The pages load nothing from elsewhere (the Content-Security-Policy says so to the browser) and read only
 * the JSON API on the same port.
 */
final class StaticUi extends Endpoint {
    /** The ECharts WebJar's version; must match the head-end's pom (StaticUiTest fails otherwise). */
    static final String ECHARTS_VERSION = "5.3.1";
    static final String ECHARTS_RESOURCE = "META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.min.js";
    private static final String OWN_PACKAGE = "org/psametering/headend/ui/";
    private static final Pattern OWN_FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(html|js|css)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    @Override
    boolean serve(Exchange exchange) {
        String path = exchange.path();
        if (path.equals("/")) {
            exchange.response().getHeaders().put(HttpHeader.LOCATION, "/ui/");
            exchange.send(302, "text/plain; charset=utf-8", Exchange.utf8("see /ui/\n"));
            return true;
        }
        if (!path.equals("/ui") && !path.startsWith("/ui/")) {
            return false;
        }
        String name = path.length() <= "/ui/".length() ? "index.html" : path.substring("/ui/".length());
        String resource;
        if (name.equals("lib/echarts.min.js")) {
            resource = ECHARTS_RESOURCE;
        } else if (OWN_FILE.matcher(name).matches()) {
            resource = OWN_PACKAGE + name;
        } else {
            throw notFound(path);
        }
        byte[] body = cache.computeIfAbsent(resource, StaticUi::load).orElseThrow(() -> notFound(path));
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        exchange.response().getHeaders().put("Content-Security-Policy", POLICY);
        exchange.response().getHeaders().put("X-Content-Type-Options", "nosniff");
        exchange.response().getHeaders().put(HttpHeader.CACHE_CONTROL, resource.equals(ECHARTS_RESOURCE) ? "max-age=86400" : "no-cache");
        exchange.send(200, type, body);
        return true;
    }

    private static Optional<byte[]> load(String resource) {
        try (InputStream in = StaticUi.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
        }
    }
}
