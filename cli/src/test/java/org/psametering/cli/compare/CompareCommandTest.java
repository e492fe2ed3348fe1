package org.psametering.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CompareCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        CompareCommand command = new CompareCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String[] quick = java.util.Arrays.copyOf(args, args.length + 1);
        quick[args.length] = "--no-warm-up";
        return new CommandLine(command).execute(quick);
    }

    @Test
    void jsonReportHasBothSchemesAndCorrectSums() throws Exception {
        int exit = run("--clients", "3", "--labels", "2", "--max-value", "50", "--seed", "9", "--json");
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(report.get("allSumsCorrect").asBoolean());
        assertEquals(3, report.get("clients").asInt());
        assertEquals(0, report.get("psa").get("wrongSums").asInt());
        assertEquals(0, report.get("dmcfe").get("wrongSums").asInt());
        assertEquals(150, report.get("dmcfe").get("largestSum").asLong());
        assertEquals(13, report.get("dmcfeDiscreteLog").get("babySteps").asInt()); // ceil(sqrt(151))
        assertEquals(62, report.get("dmcfe").get("ciphertextBytes").asInt());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[DMCFE]"), "progress goes to stderr");
    }

    @Test
    void tableNamesEveryFigureAndTheSquareRootGrowth() {
        assertEquals(0, run("--clients", "2", "--max-value", "10"));
        String table = out.toString(StandardCharsets.UTF_8);
        for (String row : new String[] {"setup, all clients", "key-share derivation", "encryption per client",
            "decryption per label", "ciphertext size", "client secret key", "largest sum", "square root"}) {
            assertTrue(table.contains(row), "missing '" + row + "' in\n" + table);
        }
        assertTrue(table.contains("sums correct                       1/1                            1/1"), table);
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals(2, run("--clients", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--clients"));
        assertEquals(2, run("--params", "no-such-set"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no-such-set"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readingsAreReproducibleFromTheSeed() {
        Readings a = Readings.generate(5, 3, 1000, 42);
        Readings b = Readings.generate(5, 3, 1000, 42);
        Readings c = Readings.generate(5, 3, 1000, 43);
        assertEquals(java.util.Arrays.deepToString(a.values()), java.util.Arrays.deepToString(b.values()));
        assertTrue(!java.util.Arrays.deepEquals(a.values(), c.values()));
        long sum = 0;
        for (long x : a.values()[1]) {
            assertTrue(x >= 0 && x <= 1000);
            sum += x;
        }
        assertEquals(sum, a.trueSums()[1]);
    }

    @Test
    void shortComparisonForTheDemoPrintsATable() {
        ByteArrayOutputStream shortOut = new ByteArrayOutputStream();
        boolean ok = SchemeComparison.printShort(3, 100, 5, new PrintStream(shortOut, true, StandardCharsets.UTF_8));
        assertTrue(ok);
        assertTrue(shortOut.toString(StandardCharsets.UTF_8).contains("DMCFE"));
    }
}
