package org.psametering.cli.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.config.GroupSettings;
import org.psametering.protocol.TimeSteps;

/** Everything the demo prints, worded for someone seeing the project for the first time. */
final class DemoReport {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final long started = System.nanoTime();

    DemoReport(PrintStream out) {
        this.out = out;
    }

    void header(DemoSettings s) {
        PsaParameters p = s.params();
        out.printf("""
                PSA smart-metering demo
                =======================
                %d simulated households report their energy use for every 15-minute step to a head-end (the utility).
                Each meter encrypts its reading with lattice-based Private Stream Aggregation (PSA): the head-end can
                decrypt only the TOTAL of all households for a step, never one household's reading. The meters set up
                their keys among themselves (X25519 pairwise masks that cancel out), so no trusted party ever holds them.
                Every meter signs its key with a certificate from a provisioning CA (a throw-away one made for this run)
                and checks everyone else's, so not even a dishonest head-end can slip in keys of its own.

                  private: each household's readings and PSA key (never leave the meter unencrypted)
                  public:  the ciphertexts on the MQTT broker, the group's member list, the per-step totals
                  shown here only to check the result: the true total, which only this simulator can know

                Setup: %d meters, %d steps of 15 minutes, each passing in %.1f s real time; PSA parameters %s
                       (n = %d, q = 2^%d, p = 2^%d, about %d bits of quantum security).

                """, s.meters(), s.meters(), s.steps(), s.realStep().toMillis() / 1000.0, p.name(), p.n(), p.logQ(), p.logP(),
                p.quantumCoreSvpBits());
        if (s.dropRate() > 0) {
            out.printf("""
                    Drop rate %s: each meter leaves each step unreported with that probability (seed %d), as if its
                    ciphertext were lost. Such a step is RECOVERED over the meters that sent (the head-end asks them for one
                    answer each) and checked against the true total over exactly those meters.

                    """, s.dropRate(), s.seed());
        }
    }

    void brokerUp(String url) {
        progress("MQTT 5 broker (embedded HiveMQ CE) listening on " + url);
    }

    void headEndUp(GroupSettings group) {
        progress("head-end up (embedded H2 database): group " + group.id() + " with " + group.members().size()
                + " members announced, key setup starts");
    }

    void pageUp(String overview, String groupPage) {
        progress("web page of the head-end: " + overview + " (this group: " + groupPage + ")");
    }

    void keepsRunning(String page) {
        out.println();
        out.println("The system keeps running and the page keeps updating: " + page + "  (Ctrl-C ends it)");
    }

    void stopping() {
        progress("stopping");
    }

    void metersUp(int meters) {
        progress(meters + " meters connected, each with its own MQTT client and household profile");
    }

    void publicKeysCollected(int meters) {
        progress("key setup: all " + meters + " X25519 public keys published; head-end sent the key set");
    }

    void blindedKeysCollected(int meters) {
        progress("key setup: all " + meters + " blinded PSA keys received (each masked with the pairwise secrets)");
    }

    void aggregationKeyDerived(long epoch, long activeFrom) {
        progress("key setup: masks cancelled, head-end holds the aggregation key of epoch " + epoch + "; meters encrypt from the step at "
                + DAY_TIME.format(TimeSteps.start(activeFrom, DemoSettings.STEP_SECONDS)) + " (simulated UTC)");
    }

    void metersActive(int meters) {
        progress("all " + meters + " meters hold their PSA key; collecting readings");
    }

    void keySetupFailed(Duration timeout) {
        progress("key setup did not finish within " + timeout.toSeconds() + " s: no step can be aggregated");
    }

    void stepsHeader() {
        out.println();
        out.printf("%-5s %-26s %24s %24s  %s%n", "step", "time (simulated, UTC)", "decrypted by head-end", "true total (simulator)",
                "check");
    }

    void step(int number, StepOutcome o) {
        String when = DAY_TIME.format(o.start()) + "-" + TIME.format(o.end());
        String decrypted = o.decrypted().isPresent() ? wattHours(o.decrypted().getAsLong())
                : o.resultSeen() ? "incomplete" : "no result";
        String truth = o.truth().isPresent() ? wattHours(o.truth().getAsLong()) : wattHours(o.partialTruth()) + " (partial)";
        String check = o.ok() ? "OK" : "MISMATCH" + (o.missing().isEmpty() ? "" : " (missing: " + String.join(", ", o.missing()) + ")");
        if (o.recovered()) {
            truth = wattHours(o.truth().orElse(-1)) + " (" + o.reporting() + " reporting)";
            check += ", recovered: " + o.reporting() + " reported, " + o.missing().size() + " missing";
        } else if (o.reporting() >= 0 && o.decrypted().isPresent()) {
            check += ", all " + o.reporting() + " reported";
        } else if (o.reporting() >= 0 && o.decrypted().isEmpty() && !o.mustDecrypt()) {
            check += " (no sum: only " + o.reporting() + " reported, below minReporting)";
        }
        out.printf("%5d %-26s %24s %24s  %s%n", number, when, decrypted, truth, check);
    }

    void footer(boolean allOk, Duration wall) {
        out.println();
        out.println(allOk ? "Every step's decrypted total equals the true total: the head-end learned the sums and nothing else."
                : "Some steps did not match (see above).");
        out.printf("Demo finished in %.1f s.%n", wall.toMillis() / 1000.0);
    }

    void comparisonHeader() {
        out.println();
        out.println("For comparison: the same kind of sum with DMCFE (pairing-based decentralized multi-client functional");
        out.println("encryption, Chotard et al.) on identical readings:");
    }

    private void progress(String line) {
        out.printf("[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
    }

    private static String wattHours(long wh) {
        return String.format("%,d Wh", wh);
    }
}
