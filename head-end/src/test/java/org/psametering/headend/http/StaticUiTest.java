package org.psametering.headend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.mqtt.LinkStatus;

/** The web page's files: served from the jar, nothing from elsewhere, and no other class-path resource reachable. */
class StaticUiTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;

    @BeforeEach
    void setUp() {
        api = new HttpApi("127.0.0.1", 0, List::of, null, new RejectionCounters(), () -> "", () -> new LinkStatus(true, true, null, 0, 0, 0, 0),
                new StorageHealth(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootRedirectsToTheOverview() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals(302, root.statusCode());
        assertEquals("/ui/", root.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> overview = get("/ui/");
        assertEquals(200, overview.statusCode());
        assertEquals("text/html; charset=utf-8", overview.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(overview.body().contains("<table id=\"groups\">"), overview.body());
    }

    /** Every script and stylesheet the pages name is served from this server; none comes from elsewhere (no CDN). */
    @Test
    void everyFileThePagesLoadIsServedLocally() throws Exception {
        for (String page : List.of("/ui/index.html", "/ui/group.html")) {
            HttpResponse<String> html = get(page);
            assertEquals(200, html.statusCode(), page);
            String policy = html.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(policy.contains("default-src 'self'") && policy.contains("script-src 'self'"), policy);
            Matcher refs = Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(html.body());
            int local = 0;
            while (refs.find()) {
                String ref = refs.group(1);
                assertTrue(ref.startsWith("/"), page + " loads " + ref + " from elsewhere");
                if (ref.startsWith("/ui/") && !ref.contains("?")) {
                    HttpResponse<String> file = get(ref);
                    assertEquals(200, file.statusCode(), ref);
                    local++;
                }
            }
            assertTrue(local >= 3, page + " names its scripts and stylesheet");
        }
    }

    @Test
    void theChartLibraryIsTheWebJarsCopy() throws Exception {
        HttpResponse<String> lib = get("/ui/lib/echarts.min.js");
        assertEquals(200, lib.statusCode());
        assertEquals("text/javascript; charset=utf-8", lib.headers().firstValue("Content-Type").orElseThrow());
        try (InputStream jar = getClass().getClassLoader().getResourceAsStream(StaticUi.ECHARTS_RESOURCE)) {
            assertTrue(jar != null, "the WebJar of ECharts " + StaticUi.ECHARTS_VERSION + " is on the class path (version as in the pom)");
            assertEquals(new String(jar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), lib.body());
        }
    }

    @Test
    void noOtherResourceIsReachable() throws Exception {
        for (String path : List.of("/ui/../META-INF/MANIFEST.MF", "/ui/%2e%2e/org/psametering/headend/http/HttpApi.class",
                "/ui/lib/../../logback.xml", "/ui/HttpApi.class", "/ui/nope.html", "/ui/lib/zrender.js", "/ui/sub/index.html",
                "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js", "/ui/..%2flogback.xml")) {
            HttpResponse<String> response = get(path);
            assertNotEquals(200, response.statusCode(), path);
            assertTrue(response.statusCode() == 400 || response.statusCode() == 404, path + " -> " + response.statusCode());
            assertFalse(response.body().contains("Manifest-Version"), path);
        }
    }

    @Test
    void thePagesAreReadOnly() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/ui/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }
}
