package org.psametering.cli.bench.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.psametering.cli.demo.TempDirs;
import org.psametering.cli.web.SyntheticHistory;
import org.psametering.headend.GroupStatus;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.core.StorageHealth;
import org.psametering.headend.http.HttpApi;
import org.psametering.headend.mqtt.LinkStatus;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.TimeSteps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code psa bench aggregates}: how fast {@code GET /groups/{id}/aggregates} answers for a long span (what the group
 * page loads), from embedded H2 or from PostgreSQL. Stores a synthetic history of 15-minute steps, serves it with the
 * head-end's HTTP API, and times sequential requests over loopback (median and 90th percentile after a warm-up).
 */
@Command(name = "aggregates", mixinStandardHelpOptions = true,
        description = {"Times GET /groups/{id}/aggregates?days=N (the group page's first request) from H2 or PostgreSQL.",
                "PostgreSQL: tables in a fresh schema of --pg-url's database, dropped afterwards."})
public final class AggregatesBenchCommand implements Callable<Integer> {
    private static final int STEP_SECONDS = 900;

    @Option(names = "--db", defaultValue = "h2", description = "h2 or postgresql. Default: ${DEFAULT-VALUE}.")
    String db;

    @Option(names = "--pg-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test", description = "Default: ${DEFAULT-VALUE}.")
    String pgUrl;

    @Option(names = "--pg-user", defaultValue = "postgres", description = "Default: ${DEFAULT-VALUE}.")
    String pgUser;

    @Option(names = "--days", defaultValue = "30", description = "Days of 15-minute steps stored and requested. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--requests", defaultValue = "50", description = "Measured requests (after as many warm-up ones). Default: ${DEFAULT-VALUE}.")
    int requests;

    @Option(names = "--format", defaultValue = "json", description = "json or csv. Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!db.equals("h2") && !db.equals("postgresql")) {
            throw new IllegalArgumentException("--db must be h2 or postgresql, got " + db);
        }
        if (days < 1 || days > 366 || requests < 1) {
            throw new IllegalArgumentException("--days must be 1..366 and --requests at least 1");
        }
        Path dir = Files.createTempDirectory("psa-bench-aggregates-");
        String schema = "psa_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            StorageSettings storage = StorageSettings.defaults();
            if (db.equals("postgresql")) {
                try (Connection c = DriverManager.getConnection(pgUrl, pgUser, ""); Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + schema);
                }
                storage = new StorageSettings(pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema, pgUser, null, 4);
            }
            try (Database database = Database.open(storage, dir)) {
                return measure(database) ? 0 : 1;
            }
        } finally {
            if (db.equals("postgresql")) {
                dropSchema(schema);
            }
            TempDirs.deleteQuietly(dir);
        }
    }

    private boolean measure(Database database) throws Exception {
        String group = "feeder-bench";
        List<String> members = IntStream.range(0, 20).mapToObj(i -> "m-" + i).toList();
        int steps = days * 86_400 / STEP_SECONDS;
        ResultStore results = new ResultStore(database);
        Instant now = Instant.now();
        long end = TimeSteps.label(now, STEP_SECONDS);
        SyntheticHistory.store(results, SyntheticHistory.results(group, 0, members, STEP_SECONDS, end, steps, 1));
        // exactly the stored steps: the last `days` days up to now, as the group page asks for them
        long from = TimeSteps.start(end - steps, STEP_SECONDS).getEpochSecond();
        GroupStatus status = new GroupStatus(group, 0, EpochPhase.ACTIVE, "bench", STEP_SECONDS, members, members.size(), members.size(),
                OptionalLong.of(0), List.of(0L), 0);
        LinkStatus up = new LinkStatus(true, true, null, 0, 0, 0, 0);
        try (HttpApi api = new HttpApi("127.0.0.1", 0, () -> List.of(status), results, new RejectionCounters(), () -> "", () -> up,
                new StorageHealth(), Clock.systemUTC())) {
            URI uri = URI.create("http://127.0.0.1:" + api.port() + "/groups/" + group + "/aggregates?from=" + from + "&to=" + now.getEpochSecond()
                    + "&format=" + format);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Double> millis = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < 2 * requests; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                double took = (System.nanoTime() - started) / 1e6;
                int rows = format.equals("json") ? new ObjectMapper().readTree(response.body()).size() : (int) response.body().lines().count() - 1;
                if (response.statusCode() != 200 || rows != steps) {
                    System.out.printf("request %d: status %d, %d rows instead of %d%n", i, response.statusCode(), rows, steps);
                    return false;
                }
                bytes = response.body().length();
                if (i >= requests) {
                    millis.add(took);
                }
            }
            List<Double> sorted = millis.stream().sorted().toList();
            System.out.printf("GET /groups/{id}/aggregates (%d days) as %s from %s: %d steps, %,d bytes; median %.1f ms, p90 %.1f ms, min %.1f ms"
                            + " over %d requests (after %d warm-up)%n", days, format, db.equals("h2") ? "H2 (embedded)" : "PostgreSQL " + pgUrl,
                    steps, bytes, sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.get(0), requests,
                    requests);
            return true;
        }
    }

    private void dropSchema(String schema) {
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }
}
