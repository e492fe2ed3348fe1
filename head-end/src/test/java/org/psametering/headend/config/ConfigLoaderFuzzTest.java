package org.psametering.headend.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.psametering.fuzz.SeedCorpus.seeds;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.psametering.fuzz.SeedCorpus;

/**
 * Fuzz target for head-end.yaml. Property: any file either loads or throws {@link ConfigException}; any other
 * exception, an OutOfMemoryError or a hang is a finding.
 */
class ConfigLoaderFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        try {
            ConfigLoader.parse("fuzz.yaml", input);
        } catch (ConfigException expected) {
            // refused with the documented error
        }
    }

    /** The committed seeds are what the real encoders produce now; {@code -Dfuzz.writeSeeds=true -Dtest=ConfigLoaderFuzzTest} rewrites them. */
    @Test
    void committedSeedsMatchTheEncoders() throws IOException {
        byte[] local = Files.readAllBytes(Path.of("../config/head-end-local.yaml"));
        new SeedCorpus(getClass()).write("parse", seeds(
                "head-end", Files.readAllBytes(Path.of("../config/head-end.yaml")),
                "head-end-local", local,
                "null-group", new String(local, UTF_8).replaceFirst("groups:", "groups: null\nx:").getBytes(UTF_8),
                "alias-bomb", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                        .getBytes(UTF_8),
                "empty", new byte[0]));
    }
}
