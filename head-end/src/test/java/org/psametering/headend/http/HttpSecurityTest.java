package org.psametering.headend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.pki.CaCredentials;
import org.psametering.crypto.pki.CertificateAuthority;
import org.psametering.crypto.pki.IdentityKeys;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.Role;
import org.psametering.headend.ReloadResult;
import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.config.TlsFiles;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.support.CoreHarness;
import org.psametering.headend.support.MutableClock;

/** The HTTP API's optional access token and HTTPS, through a real Jetty and the JDK's HTTP client. */
class HttpSecurityTest {
    private static final String TOKEN = "x7Qp2vN9sLk4Rt8Wb3Zc6Yd1";
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private CoreHarness harness;
    private HttpApi api;

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private HttpApi start(HttpSettings settings) {
        harness = new CoreHarness(StorageSettings.defaults(), dir.resolve("data"), clock, CoreHarness.group("feeder-1", 900, 60, "m1", "m2"));
        api = new HttpApi("127.0.0.1", 0, harness.core::statuses, harness.core.results(), harness.core.rejections(),
                () -> "psa_test_metric 1\n", () -> new LinkStatus(true, true, null, 0, 0, 0, 0), harness.core.storageHealth(), clock,
                harness.core::memberships, () -> new ReloadResult(true, "reloaded", List.of(), List.of()), HttpSecurity.from(settings));
        return api;
    }

    private static HttpResponse<String> send(HttpClient client, String url, String method, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Path tokenFile(String token) throws IOException {
        return Files.writeString(dir.resolve("token"), token + "\n");
    }

    @Test
    void withATokenEveryEndpointButHealthAnswers401WithoutIt() throws Exception {
        start(new HttpSettings(0, "127.0.0.1", null, tokenFile(TOKEN)));
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + api.port();
        for (String path : List.of("/groups", "/groups/feeder-1", "/groups/feeder-1/aggregates", "/rejections", "/metrics", "/nope")) {
            HttpResponse<String> none = send(client, base + path, "GET", null);
            assertEquals(401, none.statusCode(), path);
            assertEquals("Bearer realm=\"psa-head-end\"", none.headers().firstValue("WWW-Authenticate").orElse(""), path);
            assertEquals(401, send(client, base + path, "GET", TOKEN + "x").statusCode(), path);
            assertEquals(401, send(client, base + path, "GET", "").statusCode(), path);
        }
        assertEquals(200, send(client, base + "/groups", "GET", TOKEN).statusCode());
        assertTrue(send(client, base + "/metrics", "GET", TOKEN).body().contains("psa_test_metric 1"));
        assertEquals(401, send(client, base + "/admin/reload", "POST", null).statusCode());
        assertEquals(200, send(client, base + "/admin/reload", "POST", TOKEN).statusCode());
        assertEquals(200, send(client, base + "/health", "GET", null).statusCode(), "health stays open for probes");
    }

    @Test
    void withATokenThePagesOwnFilesLoadWithoutItAndHoldNoData() throws Exception {
        start(new HttpSettings(0, "127.0.0.1", null, tokenFile(TOKEN)));
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + api.port();
        for (String path : List.of("/ui/", "/ui/group.html", "/ui/common.js", "/ui/group.js", "/ui/ui.css")) {
            HttpResponse<String> page = send(client, base + path, "GET", null);
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), path);
            assertFalse(page.body().contains("feeder-1"), path + " holds no group, no number: the API has them");
        }
        assertEquals(302, send(client, base + "/", "GET", null).statusCode(), "/ redirects to the page");
        assertEquals(401, send(client, base + "/uix", "GET", null).statusCode());
        assertEquals(401, send(client, base + "/ui/", "POST", null).statusCode(), "only GET of the page is open");
        assertEquals(401, send(client, base + "/groups/feeder-1", "GET", null).statusCode());
    }

    @Test
    void withoutATokenTheApiStaysOpenOnLoopback() throws Exception {
        start(new HttpSettings(0, null));
        assertEquals(200, send(HttpClient.newHttpClient(), "http://127.0.0.1:" + api.port() + "/groups", "GET", null).statusCode());
    }

    @Test
    void refusesAShortToken() throws Exception {
        Path file = tokenFile("short");
        ConfigException e = assertThrows(ConfigException.class, () -> HttpSecurity.from(new HttpSettings(0, null, null, file)));
        assertTrue(e.getMessage().contains("at least 22"), e.getMessage());
    }

    @Test
    void servesHttpsWithTheHeadEndsEd25519CertificateAndTls13() throws Exception {
        SecureRandom rnd = new SecureRandom();
        CaCredentials ca = CertificateAuthority.create("CA", Duration.ofDays(30), NOW.minusSeconds(60), rnd);
        KeyPair keys = IdentityKeys.generate(rnd);
        X509Certificate cert = CertificateAuthority.issue(ca, Role.HEAD_END, "head-end", List.of("127.0.0.1"), keys.getPublic(),
                Duration.ofDays(10), NOW.minusSeconds(60), BigInteger.ONE);
        Path certFile = Files.writeString(dir.resolve("he.crt"), Pem.writeCertificate(cert));
        Path keyFile = Files.writeString(dir.resolve("he.key"), Pem.writePrivateKey(keys.getPrivate()));
        start(new HttpSettings(0, null, new TlsFiles(null, certFile, keyFile, null), tokenFile(TOKEN)));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, factory.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(context).build();
        HttpResponse<String> ok = send(https, "https://127.0.0.1:" + api.port() + "/groups", "GET", TOKEN);
        assertEquals(200, ok.statusCode());
        assertEquals("TLSv1.3", ok.sslSession().orElseThrow().getProtocol());
        assertEquals(401, send(https, "https://127.0.0.1:" + api.port() + "/groups", "GET", null).statusCode());

        HttpClient trustsNobody = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();
        assertThrows(SSLHandshakeException.class, () -> send(trustsNobody, "https://127.0.0.1:" + api.port() + "/health", "GET", null),
                "a client that does not trust the provisioning CA does not get through");
        assertThrows(IOException.class, () -> send(HttpClient.newHttpClient(), "http://127.0.0.1:" + api.port() + "/health", "GET", null),
                "no plain HTTP on the TLS port");
    }
}
