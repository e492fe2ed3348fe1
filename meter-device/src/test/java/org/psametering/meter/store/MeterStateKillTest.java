package org.psametering.meter.store;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;

/**
 * Issue 8 fault suite: {@code kill -9} of a meter process while it writes its state, 100 times. A real child JVM
 * ({@link StateWriterChild}) burns labels through {@link FileStateStore} in a loop and is killed (SIGKILL, no
 * shutdown hooks) at a random point of its write cycle, then restarted over the same directory. After every kill the
 * state file must parse, and the saved label must not be behind any label the child used; across all runs no label
 * is used twice.
 */
class MeterStateKillTest {

    private static final int KILLS = Integer.getInteger("meter.kills", 100);

    @TempDir
    Path dir;

    @Test
    void killNineDuringStateWritesNeverTearsTheFileNorReusesALabel() throws Exception {
        SecureRandom random = new SecureRandom();
        EpochKeys keys = new EpochKeys(PsaKey.generate(PsaParameters.DEFAULT, random), AgreementKeyPair.generate(random));
        EpochState epoch = new EpochState(1, PsaParameters.DEFAULT.name(), 900, 3,
                Encodings.encode(AgreementKeyPair.generate(random).publicKey()), EpochPhase.ACTIVE, 1000, keys).withLastLabel(999);
        try (FileStateStore store = FileStateStore.open(dir)) {
            store.save(new MeterState("m", "g", List.of(epoch)));
        }

        Random when = new Random(42);
        Set<Long> used = new HashSet<>();
        long highestUsed = 999;
        List<Long> killMillis = new ArrayList<>();
        List<Long> startMillis = new ArrayList<>();
        long loopStarted = System.nanoTime();
        int killedMidWrite = 0;
        Process next = start();
        for (int kill = 0; kill < KILLS; kill++) {
            long started = System.nanoTime();
            Process child = next;
            child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null || !first.startsWith("resumed ")) {
                fail("child did not start: " + first);
            }
            startMillis.add((System.nanoTime() - started) / 1_000_000);
            next = start(); // warms up while this one runs
            long resumed = Long.parseLong(first.substring("resumed ".length()));
            assertTrue(resumed >= highestUsed, "kill " + kill + ": resumed at " + resumed + ", but " + highestUsed + " was used");
            // kill after a random number of writes: the child is then somewhere inside its next write cycle
            int writes = 1 + when.nextInt(8);
            for (int i = 0; i < writes; i++) {
                String line = out.readLine();
                long label = Long.parseLong(line.substring("used ".length()));
                assertTrue(used.add(label), "kill " + kill + ": label " + label + " used twice");
                assertTrue(label > highestUsed, "label went backwards");
                highestUsed = label;
            }
            // SIGKILL on Linux; through the handle because Process.destroyForcibly also closes our end of its stdout,
            // and what the child printed before it died must be read too
            child.toHandle().destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die");
            // whatever the child printed before it died also counts as used
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("used ")) {
                    long label = Long.parseLong(line.substring("used ".length()));
                    assertTrue(used.add(label), "kill " + kill + ": label " + label + " used twice");
                    highestUsed = Math.max(highestUsed, label);
                }
            }
            if (java.nio.file.Files.exists(dir.resolve(FileStateStore.STATE_FILE + ".tmp"))) {
                killedMidWrite++; // evidence that this kill interrupted a write (its temp file is left behind)
            }
            try (FileStateStore store = FileStateStore.open(dir)) { // the lock died with the process
                MeterState s = store.load().orElseThrow(); // throws CorruptStateException if torn
                long saved = s.epoch(1).orElseThrow().lastLabel();
                assertTrue(saved >= highestUsed, "kill " + kill + ": saved label " + saved + " is behind used " + highestUsed);
                assertTrue(saved <= highestUsed + 1, "at most the label being burnt when killed is unused");
            }
            killMillis.add((System.nanoTime() - started) / 1_000_000);
        }
        next.getOutputStream().close(); // no "go": it exits
        assertTrue(next.waitFor(30, TimeUnit.SECONDS));
        long loopMillis = (System.nanoTime() - loopStarted) / 1_000_000;
        killMillis.sort(Long::compare);
        startMillis.sort(Long::compare);
        String figures = "meter kill -9 loop: " + KILLS + " kills in " + loopMillis + " ms, " + used.size()
                + " labels used, median " + killMillis.get(KILLS / 2) + " ms per go+writes+kill+check, median "
                + startMillis.get(KILLS / 2) + " ms from go to resumed, " + killedMidWrite
                + " kills left a temp file behind (killed inside a write)";
        System.out.println(figures);
        java.nio.file.Files.writeString(Path.of("target", "meter-kill-loop.txt"), figures + "\n");
        assertTrue(used.size() >= KILLS, "every run used labels");
    }

    private final List<Process> started = new ArrayList<>();

    /** A failed assertion must not leave a child writing in a loop (it would never notice the parent is gone). */
    @org.junit.jupiter.api.AfterEach
    void killLeftovers() {
        started.forEach(p -> p.toHandle().destroyForcibly());
    }

    private Process start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // a small, quick-starting JVM: the child only loads the state codec and writes
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), StateWriterChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(p);
        return p;
    }
}
