package org.psametering.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a fuzz test's committed seed corpus where Jazzer's regression mode looks for it:
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/<name>} (relative to the module, Surefire's working
 * directory). Used only by the seed-writing tests that run with {@code -Dfuzz.writeSeeds=true}.
 */
public final class SeedCorpus {

    private final Path root;

    public SeedCorpus(Class<?> fuzzTest) {
        root = Path.of("src", "test", "resources")
                .resolve(fuzzTest.getPackageName().replace('.', '/'))
                .resolve(fuzzTest.getSimpleName() + "Inputs");
    }

    /** Writes one seed file per entry (name -> raw input) for {@code method}. */
    public void write(String method, Map<String, byte[]> seeds) throws IOException {
        Path dir = Files.createDirectories(root.resolve(method));
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
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
