package org.psametering.meter.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void writeReplacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("state.json");
        AtomicFiles.write(file, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, "second".getBytes(StandardCharsets.UTF_8));

        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), AtomicFiles.read(file).orElseThrow());
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only the target remains");
        }
    }

    @Test
    void leftoverTemporaryFromACrashDoesNotBlockTheNextWrite() throws IOException {
        Path file = tmp.resolve("state.json");
        Files.writeString(tmp.resolve("state.json.tmp"), "torn");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertFalse(Files.exists(tmp.resolve("state.json.tmp")));
    }

    @Test
    void filesAreOwnerOnlyAndDirectoriesTightened() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path dir = tmp.resolve("data");
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        AtomicFiles.ensurePrivateDirectory(dir);
        Path file = dir.resolve("state.json");
        AtomicFiles.write(file, new byte[] {42});

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void readOfMissingFileIsEmptyAndDirectoryOverFileIsRejected() throws IOException {
        assertTrue(AtomicFiles.read(tmp.resolve("nope")).isEmpty());
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.ensurePrivateDirectory(file));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }
}
