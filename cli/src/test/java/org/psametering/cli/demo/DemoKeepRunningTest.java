package org.psametering.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./psa demo --keep-running}: prints the page's URL, keeps serving after the steps, and ends when told to. */
class DemoKeepRunningTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void flagsAreParsed() {
        DemoCommand plain = new DemoCommand();
        new CommandLine(plain).parseArgs();
        assertFalse(plain.keepRunning);
        assertEquals(0, plain.httpPort);
        DemoCommand keep = new DemoCommand();
        new CommandLine(keep).parseArgs("--keep-running", "--http-port", "18080");
        assertTrue(keep.keepRunning);
        assertEquals(18080, keep.httpPort);
        assertThrows(IllegalArgumentException.class, () -> new DemoServing(70_000, true, new CountDownLatch(1)));
    }

    @Test
    void keepsServingThePageAfterTheStepsUntilStopped() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        DemoSettings settings = DemoSettings.of(3, 2, 1.5, 1, "khprf-2021", false);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean ok = new AtomicBoolean();
        Thread demo = new Thread(() -> {
            try {
                ok.set(new DemoRun(settings, new DemoServing(0, true, stop), out).run());
            } catch (Exception e) {
                e.printStackTrace(out);
            }
        }, "demo-under-test");
        demo.start();
        try {
            String page = awaitLine(captured, Pattern.compile("keeps updating: (http://127\\.0\\.0\\.1:\\d+/ui/)"));
            String printedEarlier = awaitLine(captured, Pattern.compile("web page of the head-end: (\\S+)"));
            assertEquals(page, printedEarlier, "the URL printed while the steps run is the one that keeps serving");
            assertEquals(200, get(page).statusCode());
            String api = page.replace("/ui/", "/groups/" + DemoRun.GROUP + "/aggregates");
            int stepsAtEnd = new ObjectMapper().readTree(get(api).body()).size();
            assertTrue(stepsAtEnd >= 2, "the checked steps are stored: " + stepsAtEnd);
            // still running: meters keep reporting, so new steps keep arriving after the demo's own steps
            long deadline = System.nanoTime() + WAIT.toNanos();
            int now = stepsAtEnd;
            while (now <= stepsAtEnd && System.nanoTime() < deadline) {
                Thread.sleep(500);
                now = new ObjectMapper().readTree(get(api).body()).size();
            }
            assertTrue(now > stepsAtEnd, "no new step while the demo keeps running: " + captured.toString(StandardCharsets.UTF_8));
            assertTrue(demo.isAlive(), "the demo returned although it should keep running");

            stop.countDown();
            demo.join(WAIT.toMillis());
            assertFalse(demo.isAlive(), "the demo did not end after the stop signal");
            assertTrue(ok.get(), captured.toString(StandardCharsets.UTF_8));
            assertThrows(ConnectException.class, () -> get(page), "the page is no longer served");
        } finally {
            stop.countDown();
            demo.join(WAIT.toMillis());
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String awaitLine(ByteArrayOutputStream captured, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(captured.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no line matching " + pattern + " within " + WAIT + ":\n" + captured.toString(StandardCharsets.UTF_8));
    }
}
