package org.psametering.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.broker.MosquittoBroker;
import org.psametering.cli.headend.LocalHeadEndConfig;
import org.psametering.headend.HeadEnd;
import org.psametering.headend.config.HeadEndConfig;
import org.psametering.headend.config.HttpSettings;
import org.psametering.protocol.Topics;

/**
 * A head-end that cannot start must publish nothing: before the fix it connected to the broker and published a
 * retained announcement with a fresh key (over a running head-end's) before it found its HTTP port busy.
 */
class HeadEndStartOrderSystemTest {

    @Test
    void aBusyHttpPortFailsTheStartBeforeAnythingIsPublished(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"), false);
             ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HeadEndConfig config = LocalHeadEndConfig.of(dir.resolve("head-end"), broker.url(), 50,
                            LocalHeadEndConfig.group("g-start", SystemRig.PARAMS.name(), SystemRig.STEP_SECONDS, 300, List.of("m-001", "m-002")))
                    .withHttp(new HttpSettings(busy.getLocalPort(), "127.0.0.1"));

            IllegalStateException failure = assertThrows(IllegalStateException.class, () -> HeadEnd.start(config, Clock.systemUTC()));
            assertTrue(failure.getMessage().contains("HTTP") && failure.getMessage().contains(String.valueOf(busy.getLocalPort())),
                    failure.getMessage());

            Map<String, byte[]> retained = RetainedProbe.read(broker.url(), Topics.ROOT + "#");
            assertEquals(Map.of(), retained, "a head-end that failed to start published " + retained.keySet());
        }
    }
}
