package org.psametering.cli.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.TimeSteps;

/**
 * The operator's page in a real browser (headless Chromium) against a head-end that requires an HTTP access token
 * ({@code http.tokenFile}): the page loads, shows no data and asks for the token; a wrong token is refused with a
 * message and the form comes back; the right one shows the load curve, and is kept in this tab's sessionStorage only.
 * The head-end's database holds two days of steps; no meter is needed for what the page reads.
 */
class OperatorPageTokenBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "feeder-1";
    private static final int STEP_SECONDS = 900;
    private static final String TOKEN = "page-test-token-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void thePageAsksForTheTokenRefusesAWrongOneAndShowsTheCurveWithTheRightOne() throws Exception {
        ChromeDriver chrome = BrowserSupport.start(dir);
        open.add(chrome::quit);
        startHeadEnd();

        chrome.get(base + "/ui/group.html?id=" + GROUP);
        waitFor(chrome, "return !document.getElementById('login').hidden");
        assertTrue(text(chrome, "login-message").contains("requires an access token"), text(chrome, "login-message"));
        assertEquals(0L, chrome.executeScript("return document.querySelectorAll('#steps tbody tr').length"), "no data without the token");
        screenshot(chrome, "token-page-sign-in.png");

        signIn(chrome, "not-the-token-" + TOKEN);
        waitFor(chrome, "return !document.getElementById('login').hidden"
                + " && document.getElementById('login-message').textContent.includes('refused')");
        assertEquals(0L, chrome.executeScript("return document.querySelectorAll('#steps tbody tr').length"), "no data with a wrong token");
        assertNull(chrome.executeScript("return sessionStorage.getItem('psa.accessToken')"), "a refused token is not kept");

        signIn(chrome, TOKEN);
        waitFor(chrome, "return document.body.dataset.drawnAtMs !== undefined && document.querySelectorAll('#steps tbody tr').length > 0");
        assertTrue(Boolean.TRUE.equals(chrome.executeScript("return document.getElementById('login').hidden")));
        @SuppressWarnings("unchecked") List<List<Number>> points = (List<List<Number>>) chrome.executeScript(
                "return echarts.getInstanceByDom(document.getElementById('chart')).getOption().series.find(s => s.name === 'sum').data");
        JsonNode api = json("/groups/" + GROUP + "/aggregates?days=30");
        assertEquals(api.size(), points.size(), "one chart point per stored step");
        for (int i = 0; i < api.size(); i++) {
            assertEquals(Instant.parse(api.get(i).get("stepStart").asText()).toEpochMilli(), points.get(i).get(0).longValue());
            assertEquals(api.get(i).get("sum").isNull() ? null : api.get(i).get("sum").asLong(),
                    points.get(i).get(1) == null ? null : points.get(i).get(1).longValue(), "value of point " + i);
        }
        assertEquals(TOKEN, chrome.executeScript("return sessionStorage.getItem('psa.accessToken')"));
        assertEquals(0L, chrome.executeScript("return localStorage.length"), "the token is never put in localStorage");
        screenshot(chrome, "token-page-group.png");

        // the same tab keeps the token: the overview shows the group without asking again
        chrome.get(base + "/ui/");
        waitFor(chrome, "return document.querySelector(\"#groups tr[data-group='feeder-1']\") !== null");
        assertTrue(Boolean.TRUE.equals(chrome.executeScript("return document.getElementById('login').hidden")));

        // the page's metrics link carries the token too: the signed-in operator reads the metrics, not a 401
        chrome.findElement(By.cssSelector("a[href='/metrics']")).click();
        waitFor(chrome, "return document.body !== null && document.body.innerText.includes('# HELP psa_')"
                + " || document.body.innerText.includes('access token')");
        String shown = (String) chrome.executeScript("return document.body.innerText");
        assertTrue(shown.contains("# HELP psa_") && !shown.contains("missing or wrong access token"),
                shown.substring(0, Math.min(300, shown.length())));
    }

    private void startHeadEnd() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        open.add(broker);
        List<String> members = IntStream.range(0, 5).mapToObj(i -> FleetSpec.meterId("m-", i)).toList();
        GroupSettings group = LocalHeadEndConfig.group(GROUP, PsaParameters.KHPRF_2021.name(), STEP_SECONDS, STEP_SECONDS / 2, members);
        Path data = dir.resolve("head-end");
        long now = TimeSteps.label(Instant.now(), STEP_SECONDS);
        try (Database db = Database.open(StorageSettings.defaults(), data)) {
            SyntheticHistory.store(new ResultStore(db), SyntheticHistory.results(GROUP, 0, members, STEP_SECONDS, now, 2 * 96, 5));
        }
        Path tokenFile = Files.writeString(dir.resolve("http-token"), TOKEN + "\n");
        HeadEnd headEnd = HeadEnd.start(LocalHeadEndConfig.of(data, broker.url(), 100, group)
                .withHttp(new HttpSettings(0, "127.0.0.1", null, tokenFile)), java.time.Clock.systemUTC());
        open.add(headEnd);
        base = "http://127.0.0.1:" + headEnd.httpPort();
    }

    private static void signIn(ChromeDriver chrome, String token) {
        WebElement input = chrome.findElement(By.id("login-token"));
        input.clear();
        input.sendKeys(token);
        chrome.findElement(By.cssSelector("#login button[type=submit]")).click();
    }

    private static String text(ChromeDriver chrome, String id) {
        return (String) chrome.executeScript("return document.getElementById(arguments[0]).textContent", id);
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void waitFor(ChromeDriver chrome, String condition) {
        new WebDriverWait(chrome, WAIT).until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(condition)));
    }

    private static void screenshot(ChromeDriver chrome, String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), chrome.getScreenshotAs(OutputType.BYTES));
    }
}
