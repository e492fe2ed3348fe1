package org.psametering.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a fuzz test's committed seed corpus where Jazzer's regression mode looks for it:
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/<name>} (relative to the module, Surefire's working
 * directory). With {@code -Dfuzz.writeSeeds=true} the seed tests (re)write it; in every other run they check that the
 * committed seeds are exactly what the real encoders produce today, so a format change cannot leave the corpus stale.
 */
public final class SeedCorpus {

    private final Path root;

    public SeedCorpus(Class<?> fuzzTest) {
        root = Path.of("src", "test", "resources")
                .resolve(fuzzTest.getPackageName().replace('.', '/'))
                .resolve(fuzzTest.getSimpleName() + "Inputs");
    }

    /**
     * Writes one seed file per entry (name -> raw input) for {@code method} when seeds are being regenerated; otherwise
     * asserts that each committed seed file holds exactly these bytes. Other files in the folder (crash inputs the
     * fuzzer found, older format versions) are left alone.
     */
    public void write(String method, Map<String, byte[]> seeds) throws IOException {
        Path dir = root.resolve(method);
        boolean regenerate = Boolean.getBoolean("fuzz.writeSeeds");
        if (regenerate) {
            Files.createDirectories(dir);
        }
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Path file = dir.resolve("seed-" + seed.getKey());
            if (regenerate) {
                Files.write(file, seed.getValue());
            } else if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), seed.getValue())) {
                throw new AssertionError(file + " is missing or differs from what the encoders produce now;"
                        + " regenerate the corpus with -Dfuzz.writeSeeds=true and commit it");
            }
        }
    }

    /** {@code seeds("name", bytes, "name2", bytes2, ...)}: an ordered name -> input map. */
    public static Map<String, byte[]> seeds(Object... nameThenBytes) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            seeds.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return seeds;
    }

    /** A copy of {@code bytes} with one byte replaced: the usual way to derive an edge case from a valid encoding. */
    public static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
