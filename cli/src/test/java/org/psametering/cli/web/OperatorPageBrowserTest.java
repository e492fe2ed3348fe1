package org.psametering.cli.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.cli.sim.FleetSpec;
import org.psametering.cli.sim.SimulatedFleet;
import org.psametering.cli.time.AcceleratedClock;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HttpSettings;
import org.psametering.headend.config.MaskGraphOption;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.StepResult;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.ResultStatus;
import org.psametering.protocol.TimeSteps;

/**
 * The operator's web page in a real browser (headless Chromium): a head-end with a group of simulated meters on a real
 * Mosquitto and an accelerated clock, whose database already holds 30 days of 15-minute steps. Checks that the
 * overview and the group page show what the API says, that the chart holds one point per stored step, and that a step
 * completed while the page is open appears without a reload. Saves screenshots and the page's own timing under
 * target/. No assertion depends on how fast anything ran.
 */
class OperatorPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "feeder-1";
    /** A second group on the sparse mask graph: its epoch is announced (no meters run for it), which is all its page needs. */
    private static final String SPARSE_GROUP = "feeder-sparse";
    private static final int STEP_SECONDS = 900;
    private static final int MEMBERS = 5; // at least the meters' default minimum group size (5), which they enforce
    private static final Duration REAL_STEP = Duration.ofSeconds(2);
    /** More than 30 days of steps, so that the page's 30-day window is full of history whenever it loads. */
    private static final int HISTORY_STEPS = 30 * 96 + 200;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TIMED_LOADS = 5;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final LinkedBlockingQueue<StepResult> completed = new LinkedBlockingQueue<>();
    private String base;
    private HeadEnd headEnd;
    private SimulatedFleet fleet;
    private GroupSettings group;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void overviewAndGroupPageShowTheApisNumbersAndALiveStep() throws Exception {
        ChromeDriver chrome = BrowserSupport.start(dir);
        open.add(chrome::quit);
        startSystem();

        // overview
        chrome.get(base + "/ui/");
        waitFor(chrome, "return document.querySelector(\"#groups tr[data-group='feeder-1'] [data-last-label]\") !== null");
        JsonNode apiGroup = json("/groups/" + GROUP);
        Map<String, Object> row = script(chrome, """
                const row = document.querySelector("#groups tr[data-group='feeder-1']");
                const cells = [...row.children].map(c => c.textContent);
                const last = row.querySelector('[data-last-label]');
                return {cells, lastLabel: last.dataset.lastLabel, lastEpoch: last.dataset.lastEpoch, lastSum: last.dataset.lastSum,
                        lastStatus: last.dataset.lastStatus};""");
        @SuppressWarnings("unchecked") List<String> cells = (List<String>) row.get("cells");
        assertEquals(GROUP, cells.get(0));
        assertEquals(apiGroup.get("phase").asText(), cells.get(1), "state");
        assertEquals(apiGroup.get("epoch").asText(), cells.get(2), "epoch");
        assertEquals(apiGroup.get("memberCount").asText(), cells.get(3), "member count");
        JsonNode lastStep = step(Long.parseLong((String) row.get("lastEpoch")), Long.parseLong((String) row.get("lastLabel")));
        assertEquals(lastStep.get("status").asText(), row.get("lastStatus"), "the overview's last step is a stored step");
        assertEquals(lastStep.get("sum").asText(), row.get("lastSum"), "and shows its sum");
        assertRejectionsMatch(chrome);
        screenshot(chrome, "overview-page.png");

        // group page: 30 days, one point per stored step, the table and the API agree
        List<Double> loadMillis = new ArrayList<>();
        List<Double> dataMillis = new ArrayList<>();
        for (int i = 0; i < TIMED_LOADS; i++) {
            chrome.get(base + "/ui/group.html?id=" + GROUP);
            waitFor(chrome, "return document.body.dataset.drawnAtMs !== undefined");
            Map<String, Object> timing = script(chrome, "return {drawn: document.body.dataset.drawnAtMs, data: document.body.dataset.dataAtMs}");
            loadMillis.add(Double.parseDouble((String) timing.get("drawn")));
            dataMillis.add(Double.parseDouble((String) timing.get("data")));
        }
        Map<String, Object> shown = shownSteps(chrome);
        List<?> points = (List<?>) shown.get("points");
        List<?> rows = (List<?>) shown.get("rows");
        long first = ((Number) ((List<?>) points.get(0)).get(0)).longValue() / 1000;
        long last = ((Number) ((List<?>) points.get(points.size() - 1)).get(0)).longValue() / 1000;
        JsonNode api = json("/groups/" + GROUP + "/aggregates?from=" + first + "&to=" + (last + 1));
        assertEquals(api.size(), points.size(), "one chart point per stored step");
        assertEquals(api.size(), rows.size(), "one table row per stored step");
        assertTrue(points.size() > 29 * 96, "the 30-day window holds weeks of steps, got " + points.size());
        int recovered = 0;
        int incomplete = 0;
        for (int i = 0; i < api.size(); i++) {
            JsonNode step = api.get(i);
            List<?> point = (List<?>) points.get(i);
            assertEquals(Instant.parse(step.get("stepStart").asText()).toEpochMilli(), ((Number) point.get(0)).longValue(), "time of point " + i);
            Object value = point.get(1);
            assertEquals(step.get("sum").isNull() ? null : step.get("sum").asLong(), value == null ? null : ((Number) value).longValue(),
                    "value of point " + i);
            @SuppressWarnings("unchecked") Map<String, String> tableRow = (Map<String, String>) rows.get(rows.size() - 1 - i);
            assertEquals(step.get("label").asText(), tableRow.get("label"), "table is newest first");
            assertEquals(step.get("status").asText(), tableRow.get("status"));
            assertEquals(step.get("sum").isNull() ? "–" : step.get("sum").asText(), tableRow.get("sum"));
            assertEquals(step.get("reported").asText(), tableRow.get("reported"));
            recovered += step.get("status").asText().equals("RECOVERED") ? 1 : 0;
            incomplete += step.get("status").asText().equals("INCOMPLETE") ? 1 : 0;
        }
        assertTrue(recovered > 0 && incomplete > 0, "the history has RECOVERED and INCOMPLETE steps to mark");
        assertEquals(recovered, ((Number) shown.get("recoveredMarks")).intValue(), "a mark per RECOVERED step");
        assertEquals(incomplete, ((Number) shown.get("incompleteMarks")).intValue(), "a mark per INCOMPLETE step");
        assertTrue(((Number) shown.get("epochMarkers")).intValue() >= 1, "epoch markers");
        assertTrue(((Number) shown.get("curvePixels")).intValue() > 1000, "the curve is drawn on the canvas: " + shown.get("curvePixels"));
        assertMembersMatch(chrome);
        assertMaskGraphShown(chrome, GROUP, "complete (configured: auto)");
        assertPollsFetchOnlyRecentSteps(chrome, last);

        // live: a step completed after the page loaded appears without a reload
        script(chrome, "window.psaSameDocument = 'yes'; return {};");
        long newest = api.get(api.size() - 1).get("label").asLong();
        StepResult fresh = nextCompleteAfter(newest);
        waitFor(chrome, "return document.querySelector(\"#steps tr[data-label='" + fresh.label() + "']\") !== null");
        Map<String, Object> after = shownSteps(chrome);
        List<?> livePoints = (List<?>) after.get("points");
        long freshMillis = fresh.stepStart().toEpochMilli();
        List<?> freshPoint = livePoints.stream().map(p -> (List<?>) p).filter(p -> ((Number) p.get(0)).longValue() == freshMillis)
                .findFirst().orElseThrow(() -> new AssertionError("label " + fresh.label() + " is in the table but not in the chart"));
        assertEquals(fresh.sum().getAsLong(), ((Number) freshPoint.get(1)).longValue(), "the live step's sum");
        assertEquals("yes", script(chrome, "return {v: window.psaSameDocument}").get("v"), "no reload happened");

        // a re-key (a member added) is marked when it is decided, and its epoch when its first step is there
        fleet.startMeter(MEMBERS);
        headEnd.updateGroup(group.withMembers(IntStream.rangeClosed(0, MEMBERS).mapToObj(i -> FleetSpec.meterId("m-", i)).toList()));
        String added = "ADDED " + FleetSpec.meterId("m-", MEMBERS);
        waitFor(chrome, "return echarts.getInstanceByDom(document.getElementById('chart')).getOption().series[0].markLine.data"
                + ".some(m => m.name === '" + added + "')");
        OptionalLong epoch1 = fleet.activations().awaitActive(MEMBERS + 1, 1, WAIT);
        assertTrue(epoch1.isPresent(), "the re-key did not finish within " + WAIT);
        waitFor(chrome, "return echarts.getInstanceByDom(document.getElementById('chart')).getOption().series[0].markLine.data"
                + ".some(m => m.name === 'epoch 1')");
        assertEquals("yes", script(chrome, "return {v: window.psaSameDocument}").get("v"), "no reload happened");

        screenshot(chrome, "group-page.png");

        chrome.get(base + "/ui/group.html?id=" + SPARSE_GROUP);
        assertMaskGraphShown(chrome, SPARSE_GROUP, "sparse (configured: sparse)");
        String timing = String.format("group page, %d points (30 days of 15-minute steps), median of %d loads: navigation to drawn chart %.0f ms,"
                + " of which until the steps had arrived %.0f ms (drawn: %s; arrived: %s)%n", points.size(), TIMED_LOADS, median(loadMillis),
                median(dataMillis), loadMillis, dataMillis);
        System.out.print(timing);
        Files.writeString(Path.of("target", "browser-timing.txt"), timing);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    /** Broker, a head-end whose database holds the history, meters; returns after the first live step completed. */
    private void startSystem() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        open.add(broker);
        Instant origin = TimeSteps.start(TimeSteps.label(Instant.now(), STEP_SECONDS) + 1, STEP_SECONDS);
        AcceleratedClock clock = AcceleratedClock.startingAt(origin, AcceleratedClock.speedupFor(Duration.ofSeconds(STEP_SECONDS), REAL_STEP));
        Duration tick = Duration.ofMillis(REAL_STEP.toMillis() / 40);
        List<String> members = IntStream.range(0, MEMBERS).mapToObj(i -> FleetSpec.meterId("m-", i)).toList();
        group = LocalHeadEndConfig.group(GROUP, PsaParameters.KHPRF_2021.name(), STEP_SECONDS, STEP_SECONDS / 2, members);
        Path data = dir.resolve("head-end");
        try (Database db = Database.open(StorageSettings.defaults(), data)) {
            SyntheticHistory.store(new ResultStore(db),
                    SyntheticHistory.results(GROUP, 0, members, STEP_SECONDS, TimeSteps.label(origin, STEP_SECONDS), HISTORY_STEPS, 11));
        }
        GroupSettings sparse = LocalHeadEndConfig.group(SPARSE_GROUP, PsaParameters.KHPRF_2021.name(), STEP_SECONDS, STEP_SECONDS / 2,
                IntStream.range(0, MaskGraphOption.SPARSE_MIN_MEMBERS).mapToObj(i -> FleetSpec.meterId("s-", i)).toList()).withMaskGraph("sparse");
        headEnd = HeadEnd.start(LocalHeadEndConfig.of(data, broker.url(), (int) tick.toMillis(), group, sparse)
                .withHttp(new HttpSettings(0, "127.0.0.1")), clock);
        open.add(headEnd);
        headEnd.addResultListener(r -> {
            if (r.status() == ResultStatus.COMPLETE) {
                completed.add(r);
            }
        });
        base = "http://127.0.0.1:" + headEnd.httpPort();
        // one meter more than the group has, for the re-key
        fleet = SimulatedFleet.empty(new FleetSpec(MEMBERS + 1, GROUP, broker.url(), 7, null, clock, tick, "m-"));
        open.add(fleet);
        for (int i = 0; i < MEMBERS; i++) {
            fleet.startMeter(i);
        }
        OptionalLong active = fleet.activations().awaitActive(MEMBERS, 0, WAIT);
        assertTrue(active.isPresent(), "key setup did not finish within " + WAIT);
        nextCompleteAfter(active.getAsLong() - 1);
    }

    private StepResult nextCompleteAfter(long label) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StepResult r = completed.poll(1, TimeUnit.SECONDS);
            if (r != null && r.label() > label) {
                return r;
            }
        }
        throw new AssertionError("no COMPLETE step after label " + label + " within " + WAIT);
    }

    /** The chart's data, marks and the steps table, read in one script so that no poll can come in between. */
    private static Map<String, Object> shownSteps(ChromeDriver chrome) {
        return script(chrome, """
                const chart = echarts.getInstanceByDom(document.getElementById('chart'));
                const option = chart.getOption();
                const byName = (name) => option.series.find(s => s.name === name);
                const rows = [...document.querySelectorAll('#steps tbody tr')].map(tr => ({
                  label: tr.dataset.label, status: tr.children[3].textContent, sum: tr.children[4].textContent,
                  reported: tr.children[6].textContent}));
                // pixels in the curve's colour (#0b5cad): the line was drawn, not only the axes
                const canvas = document.querySelector('#chart canvas');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let curvePixels = 0;
                for (let i = 0; i < pixels.length; i += 4) {
                  if (Math.abs(pixels[i] - 0x0b) < 40 && Math.abs(pixels[i + 1] - 0x5c) < 40 && Math.abs(pixels[i + 2] - 0xad) < 40) curvePixels++;
                }
                return {points: byName('sum').data, rows, recoveredMarks: byName('RECOVERED').data.length,
                        incompleteMarks: byName('INCOMPLETE').data.length, epochMarkers: byName('sum').markLine.data.length, curvePixels};""");
    }

    /**
     * Polls ask only for steps that may still change: from the newest step, or from an open step at most the late
     * window (a day) before it. The history has INCOMPLETE steps weeks old; a poll from there fetched everything again.
     */
    private static void assertPollsFetchOnlyRecentSteps(ChromeDriver chrome, long newestStepStart) {
        waitFor(chrome, "return performance.getEntriesByType('resource').filter(e => e.name.includes('/aggregates?from=')).length >= 2");
        @SuppressWarnings("unchecked") List<Number> froms = (List<Number>) chrome.executeScript("""
                return performance.getEntriesByType('resource').map(e => new URL(e.name))
                    .filter(u => u.pathname.endsWith('/aggregates') && u.searchParams.has('from') && !u.searchParams.has('to'))
                    .map(u => Number(u.searchParams.get('from')));""");
        assertTrue(froms.size() >= 2, "polls: " + froms);
        for (Number from : froms) {
            assertTrue(from.longValue() >= newestStepStart - 86_400 - STEP_SECONDS,
                    "a poll fetched from " + Instant.ofEpochSecond(from.longValue()) + ", more than a day before the newest step "
                            + Instant.ofEpochSecond(newestStepStart));
        }
    }

    private void assertRejectionsMatch(ChromeDriver chrome) throws Exception {
        JsonNode before = json("/rejections");
        Map<String, Object> shown = script(chrome, """
                const out = {};
                document.querySelectorAll('#rejections tr[data-reason]').forEach(tr => out[tr.dataset.reason] = Number(tr.children[1].textContent));
                return out;""");
        JsonNode after = json("/rejections");
        before.fieldNames().forEachRemaining(reason -> {
            if (!reason.equals("total")) {
                long count = ((Number) shown.get(reason)).longValue();
                assertTrue(count >= before.get(reason).asLong() && count <= after.get(reason).asLong(), reason + ": page " + count + ", API "
                        + before.get(reason) + ".." + after.get(reason));
            }
        });
        assertEquals(before.size() - 1, shown.size(), "one row per reason");
    }

    private void assertMembersMatch(ChromeDriver chrome) throws Exception {
        JsonNode membership = json("/groups/" + GROUP + "/membership");
        List<String> apiMeters = new ArrayList<>();
        membership.get("members").forEach(m -> apiMeters.add(m.get("meter").asText()));
        @SuppressWarnings("unchecked") List<String> shown = (List<String>) chrome.executeScript(
                "return [...document.querySelectorAll('#members tbody tr')].map(tr => tr.dataset.meter)");
        assertEquals(apiMeters, shown, "one row per configured member");
        List<String> headers = chrome.findElements(By.cssSelector("#members thead th")).stream().map(th -> th.getText()).toList();
        assertEquals(List.of("meter", "state", "last reported step", "missed in a row", "missed (loaded steps)"), headers,
                "the members table holds metadata only: no reading of any meter");
    }

    /** The group page's header names the newest epoch's mask graph and the configured option, as GET /groups/{id} does. */
    private void assertMaskGraphShown(ChromeDriver chrome, String groupId, String text) throws Exception {
        waitFor(chrome, "return document.getElementById('mask-graph') !== null");
        JsonNode api = json("/groups/" + groupId);
        Map<String, Object> shown = script(chrome, """
                const fact = document.getElementById('mask-graph');
                return {text: fact.textContent, graph: fact.dataset.maskGraph, option: fact.dataset.maskGraphOption};""");
        assertEquals(api.get("maskGraph").asText(), shown.get("graph"), groupId + ": the newest epoch's graph");
        assertEquals(api.get("maskGraphOption").asText(), shown.get("option"), groupId + ": the configured option");
        assertEquals("mask graph: " + text, shown.get("text"), groupId);
    }

    private JsonNode step(long epoch, long label) throws Exception {
        Instant start = TimeSteps.start(label, STEP_SECONDS);
        for (JsonNode step : json("/groups/" + GROUP + "/aggregates?from=" + start.getEpochSecond() + "&to=" + (start.getEpochSecond() + 1))) {
            if (step.get("epoch").asLong() == epoch) {
                return step;
            }
        }
        throw new AssertionError("no stored step " + epoch + "/" + label);
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> script(ChromeDriver chrome, String body) {
        return (Map<String, Object>) chrome.executeScript(body);
    }

    private static void waitFor(ChromeDriver chrome, String condition) {
        new WebDriverWait(chrome, WAIT).until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(condition)));
    }

    private static void screenshot(ChromeDriver chrome, String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), chrome.getScreenshotAs(OutputType.BYTES));
    }
}
