package org.psametering.meter.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.psametering.fuzz.SeedCorpus.seeds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz target for meter.yaml (including the hardware module's sensor settings). Property: any file either loads or
 * throws {@link ConfigException}; any other exception, an OutOfMemoryError or a hang is a finding.
 */
class MeterConfigLoaderFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        try {
            MeterConfigLoader.parse(new String(input, UTF_8), "fuzz.yaml", MeterConfigLoader.Overrides.NONE);
        } catch (ConfigException expected) {
            // refused with the documented error
        }
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=MeterConfigLoaderFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        String minimal = "meter: {id: m-1, dataDir: /var/lib/psa}\nmqtt: {broker: \"tcp://broker:1883\"}\ngroup: {id: g-1}\n";
        new SeedCorpus(getClass()).write("parse", seeds(
                "meter", Files.readAllBytes(Path.of("../config/meter.yaml")),
                "meter-csv", Files.readAllBytes(Path.of("../config/meter-csv.yaml")),
                "meter-ct", Files.readAllBytes(Path.of("../config/meter-ct.yaml")),
                "meter-s0", Files.readAllBytes(Path.of("../config/meter-s0.yaml")),
                "minimal", minimal.getBytes(UTF_8),
                "sml", (minimal + "sensor: {type: sml, serialPort: /dev/ttyUSB0, baudRate: 9600, timeoutSeconds: .nan}\n").getBytes(UTF_8),
                "anchors", "a: &a [x, *a]\n".getBytes(UTF_8),
                "tab-indent", "meter:\n\tid: m\n".getBytes(UTF_8)));
    }
}
