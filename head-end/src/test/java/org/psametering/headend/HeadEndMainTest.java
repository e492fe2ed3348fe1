package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HeadEndMainTest {
    @Test
    void commandLineOverridesTheFile() {
        HeadEndMain main = new HeadEndMain();
        new CommandLine(main).parseArgs("--config", "../config/head-end.yaml", "--broker", "tcp://10.0.0.5:1883", "--http-port", "0",
                "--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/psa", "--data-dir", "/var/lib/x");
        var config = main.effectiveConfig();
        assertEquals("tcp://10.0.0.5:1883", config.mqtt().broker());
        assertEquals(0, config.http().port());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/psa", config.storage().jdbcUrl());
        assertEquals(Path.of("/var/lib/x"), config.dataDir());
        assertEquals("feeder-1", config.groups().get(0).id());
    }

    @Test
    void badConfigExitsWithStatus2() {
        assertEquals(2, new CommandLine(new HeadEndMain()).execute("--config", "no/such.yaml"));
        assertEquals(2, new CommandLine(new HeadEndMain()).execute("--config", "../config/head-end.yaml", "--broker", "nonsense"));
    }

    @Test
    void aHangUpDuringTheStartIsServedOnceTheStartIsDone() {
        java.util.List<String> reloads = new java.util.ArrayList<>();
        HeadEndMain.StartedHeadEnd running = new HeadEndMain.StartedHeadEnd();
        running.reload();
        assertEquals(java.util.List.of(), reloads, "nothing to reload yet");
        running.started(reloads::add);
        assertEquals(java.util.List.of("SIGHUP during the start"), reloads);
        running.reload();
        assertEquals(java.util.List.of("SIGHUP during the start", "SIGHUP"), reloads);
    }

    @Test
    void withoutAHangUpTheStartReloadsNothing() {
        java.util.List<String> reloads = new java.util.ArrayList<>();
        new HeadEndMain.StartedHeadEnd().started(reloads::add);
        assertEquals(java.util.List.of(), reloads);
    }
}
