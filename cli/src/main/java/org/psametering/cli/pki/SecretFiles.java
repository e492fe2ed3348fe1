package org.psametering.cli.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the PKI's files: private keys owner-only (0600) from the moment they exist, directories 0700, and never over
 * an existing file unless the caller was told {@code --force}. Each file is written to a temporary name and moved in
 * place, so a crash leaves the old file or the new one, never half of one.
 */
final class SecretFiles {
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private SecretFiles() {}

    /** Creates {@code dir} (and parents) if missing; a new directory is 0700. */
    static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Refuses if any of {@code files} exists and {@code force} is false, before anything is written. */
    static void refuseOverwrite(boolean force, Path... files) {
        if (force) {
            return;
        }
        for (Path file : files) {
            if (Files.exists(file)) {
                throw new IllegalStateException(file + " already exists; use --force to replace it");
            }
        }
    }

    /** A private key or other secret: 0600. */
    static void writeSecret(Path file, String text) {
        write(file, text, OWNER_ONLY_FILE);
    }

    /** A certificate, CRL or index: 0644. */
    static void writePublic(Path file, String text) {
        write(file, text, PUBLIC_FILE);
    }

    private static void write(Path file, String text, Set<PosixFilePermission> permissions) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            // created with its final permissions, so a key is never readable by others, not even for a moment
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(temp, permissions);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " already exists", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is 0600 and named after its target
                }
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
