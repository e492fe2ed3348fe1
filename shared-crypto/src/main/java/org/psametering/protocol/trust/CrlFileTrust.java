package org.psametering.protocol.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;

/**
 * A {@link CertificateTrust} whose CRL is a file that may be replaced while the process runs: a meter revoked after
 * the start is refused as soon as the new CRL is seen, without a restart.
 *
 * <p>When: {@link #reload()} looks at the file's modification time and size and, if either changed, reads it again.
 * Callers call it on their own schedule (every {@code trust.crlCheckSeconds}), before each key set a meter checks, and
 * on the head-end's reload (SIGHUP, {@code POST /admin/reload}); every check through this verifier also refreshes once
 * {@code checkEvery} has passed since the last look, so no caller can forget it.
 *
 * <p>A new CRL must be the anchor's and well-formed; otherwise the previous one stays in force and the problem is
 * reported to the {@link Listener} (once per change of the file). That never weakens revocation: the previous CRL
 * still fails closed at its nextUpdate, and a new CRL that is past its own nextUpdate is loaded and fails closed at
 * once. A missing file is reported the same way and also keeps the previous CRL.
 *
 * <p>Thread-safe: checks read the current {@link CertificateTrust} (immutable CRL, concurrent cache) without a lock.
 */
public final class CrlFileTrust implements IdentityVerifier {

    /** Where reloads are reported (log line, metric): never silent. */
    public interface Listener {
        void loaded(Path file, X509CRL crl);

        void failed(Path file, String reason);
    }

    private record Stamp(FileTime modified, long size) {
    }

    private final Path file;
    private final long checkEveryNanos;
    private final Listener listener;
    private final AtomicLong nextLookNanos;
    private volatile CertificateTrust current;
    private Stamp seen; // guarded by this
    private volatile String problem; // why the file's current version is not in force, or null
    private final AtomicLong failedReloads = new AtomicLong();

    private CrlFileTrust(CertificateTrust first, Stamp stamp, Path file, Duration checkEvery, Listener listener) {
        this.current = first;
        this.seen = stamp;
        this.file = file;
        this.checkEveryNanos = checkEvery.toNanos();
        this.listener = listener;
        this.nextLookNanos = new AtomicLong(System.nanoTime() + checkEveryNanos);
    }

    /**
     * Reads the CRL file now; at the start a bad file is an error, not a warning.
     *
     * @throws PkiFormatException if the file cannot be read, is no PEM CRL, or is not the anchor's
     */
    public static CrlFileTrust open(X509Certificate anchor, Path crlFile, Clock clock, Duration checkEvery, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("checkEvery must be positive, was " + checkEvery);
        }
        Stamp stamp = stamp(crlFile);
        X509CRL crl = read(crlFile);
        return new CrlFileTrust(new CertificateTrust(anchor, Optional.of(crl), clock), stamp, crlFile, checkEvery, listener);
    }

    /**
     * Reloads the CRL if the file changed since the last look.
     *
     * @return true if a new CRL is now in force
     */
    public synchronized boolean reload() {
        nextLookNanos.set(System.nanoTime() + checkEveryNanos);
        Stamp now;
        try {
            now = stamp(file);
        } catch (PkiFormatException e) {
            if (seen != null) {
                seen = null;
                failed(e.getMessage() + "; the previous CRL stays in force");
            }
            return false;
        }
        if (now.equals(seen)) {
            return false;
        }
        seen = now;
        try {
            X509CRL crl = read(file);
            current = current.withCrl(Optional.of(crl));
            problem = null;
            listener.loaded(file, crl);
            return true;
        } catch (PkiFormatException | IllegalArgumentException e) {
            failed(e.getMessage() + "; the previous CRL stays in force");
            return false;
        }
    }

    private void failed(String reason) {
        problem = reason;
        failedReloads.incrementAndGet();
        listener.failed(file, reason);
    }

    /**
     * Why the file as it is now could not be loaded (missing, unreadable, no CRL, not the anchor's), or empty if the
     * CRL in force is the file's latest version: a meter's status and the head-end's {@code /health} show it, so a
     * CRL that stopped being updated is seen without reading the log.
     */
    public Optional<String> reloadProblem() {
        return Optional.ofNullable(problem);
    }

    /** How many times a changed file could not be loaded since the start (each change counted once). */
    public long failedReloads() {
        return failedReloads.get();
    }

    @Override
    public void refresh() {
        reload();
    }

    /** The CRL in force. */
    public X509CRL crl() {
        return current.crl().orElseThrow();
    }

    /**
     * The CRL in force after looking at the file now ({@link #reload()}): the source of a TLS client's revocation
     * check, asked once per handshake (handshakes are rare; a look is one stat of the file).
     */
    public X509CRL latestCrl() {
        reload();
        return crl();
    }

    public Path file() {
        return file;
    }

    @Override
    public java.security.PublicKey meter(byte[] certificateDer, String meterId) {
        return fresh().meter(certificateDer, meterId);
    }

    @Override
    public java.security.PublicKey headEnd(byte[] certificateDer, String name) {
        return fresh().headEnd(certificateDer, name);
    }

    @Override
    public VerifyingKey meterKey(byte[] certificateDer, String meterId) {
        return fresh().meterKey(certificateDer, meterId);
    }

    private CertificateTrust fresh() {
        long due = nextLookNanos.get();
        if (System.nanoTime() - due >= 0 && nextLookNanos.compareAndSet(due, System.nanoTime() + checkEveryNanos)) {
            reload();
        }
        return current;
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime(), attributes.size());
        } catch (NoSuchFileException e) {
            throw new PkiFormatException("CRL file " + file + " does not exist");
        } catch (IOException e) {
            throw new PkiFormatException("cannot read the CRL file " + file + ": " + e.getMessage(), e);
        }
    }

    private static X509CRL read(Path file) {
        try {
            return Pem.readCrl(Files.readString(file));
        } catch (IOException e) {
            throw new PkiFormatException("cannot read the CRL file " + file + ": " + e.getMessage(), e);
        }
    }
}
