package org.psametering.cli.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.psametering.crypto.pki.CaCredentials;
import org.psametering.crypto.pki.CertificateAuthority;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.RevocationLists;
import org.psametering.crypto.pki.Role;
import org.psametering.crypto.pki.TlsContexts;

/**
 * A CA directory as {@code ./psa pki} keeps it (0700):
 * <pre>
 *   ca.crt       the CA certificate: give it to every meter, the head-end and the broker (cafile)
 *   ca.key       the CA's private key, 0600: whoever has it can make meters; keep it offline
 *   index.tsv    every certificate issued ({@link CertificateIndex})
 *   certs/N.crt  a copy of certificate N
 *   crl.pem      the current CRL (broker crlfile, meters' and head-end's crlFile)
 * </pre>
 * Serials count up from 1. Changes run under an exclusive lock on {@code .lock}, so two commands cannot hand out one
 * serial twice.
 */
final class CaDirectory {
    static final String CA_CERT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String INDEX = "index.tsv";
    static final String CRL = "crl.pem";
    static final String CERTS = "certs";

    private final Path dir;
    private final CaCredentials ca;

    private CaDirectory(Path dir, CaCredentials ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** Creates a CA in {@code dir} with an empty index and an empty CRL valid for {@code crlValidity}. */
    static CaDirectory init(Path dir, String name, Duration validity, Duration crlValidity, boolean force, Instant now,
            SecureRandom rnd) {
        SecretFiles.directory(dir);
        SecretFiles.refuseOverwrite(force, dir.resolve(CA_KEY), dir.resolve(CA_CERT), dir.resolve(INDEX));
        CaCredentials ca = CertificateAuthority.create(name, validity, now, rnd);
        SecretFiles.writeSecret(dir.resolve(CA_KEY), Pem.writePrivateKey(ca.key()));
        SecretFiles.writePublic(dir.resolve(CA_CERT), Pem.writeCertificate(ca.certificate()));
        SecretFiles.writePublic(dir.resolve(INDEX), CertificateIndex.format(List.of()));
        CaDirectory created = new CaDirectory(dir, ca);
        created.writeCrl(List.of(), now, crlValidity);
        return created;
    }

    /** Opens an existing CA directory; a missing or inconsistent file is a clear error. */
    static CaDirectory open(Path dir) {
        if (!Files.isRegularFile(dir.resolve(CA_CERT)) || !Files.isRegularFile(dir.resolve(CA_KEY))) {
            throw new IllegalStateException(dir + " is not a CA directory (no " + CA_CERT + " and " + CA_KEY
                    + "); create one with: ./psa pki init-ca --dir " + dir + " --name NAME");
        }
        try {
            X509Certificate cert = Pem.readCertificate(SecretFiles.read(dir.resolve(CA_CERT)));
            CaCredentials ca = new CaCredentials(cert, Pem.readPrivateKey(SecretFiles.read(dir.resolve(CA_KEY))));
            TlsContexts.checkKeyMatches(cert, ca.key());
            return new CaDirectory(dir, ca);
        } catch (PkiFormatException | IllegalArgumentException e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    CaCredentials credentials() {
        return ca;
    }

    Path crlFile() {
        return dir.resolve(CRL);
    }

    List<IndexEntry> entries() {
        return CertificateIndex.parse(SecretFiles.read(dir.resolve(INDEX)), dir.resolve(INDEX).toString());
    }

    /** Issues the next serial, records it in the index and keeps a copy under certs/. */
    X509Certificate issue(Role role, String commonName, List<String> hostNames, PublicKey key, Duration validity,
            Instant now) {
        return locked(() -> {
            List<IndexEntry> entries = new ArrayList<>(entries());
            BigInteger serial = entries.stream().map(IndexEntry::serial).max(BigInteger::compareTo)
                    .orElse(BigInteger.ZERO).add(BigInteger.ONE);
            X509Certificate cert = CertificateAuthority.issue(ca, role, commonName, hostNames, key, validity, now, serial);
            SecretFiles.writePublic(SecretFiles.directory(dir.resolve(CERTS)).resolve(serial + ".crt"),
                    Pem.writeCertificate(cert));
            entries.add(new IndexEntry(serial, role, commonName, cert.getNotBefore().toInstant(),
                    cert.getNotAfter().toInstant(), Optional.empty()));
            SecretFiles.writePublic(dir.resolve(INDEX), CertificateIndex.format(entries));
            return cert;
        });
    }

    /** Marks {@code serial} revoked at {@code now} and writes a new CRL; revoking twice is an error. */
    IndexEntry revoke(BigInteger serial, Instant now, Duration crlValidity) {
        return locked(() -> {
            List<IndexEntry> entries = new ArrayList<>(entries());
            for (int i = 0; i < entries.size(); i++) {
                IndexEntry entry = entries.get(i);
                if (entry.serial().equals(serial)) {
                    if (entry.revokedAt().isPresent()) {
                        throw new IllegalStateException("serial " + serial + " (" + entry.commonName()
                                + ") was already revoked at " + entry.revokedAt().get());
                    }
                    IndexEntry revoked = entry.revoked(now);
                    entries.set(i, revoked);
                    SecretFiles.writePublic(dir.resolve(INDEX), CertificateIndex.format(entries));
                    writeCrl(entries, now, crlValidity);
                    return revoked;
                }
            }
            throw new IllegalArgumentException("no certificate with serial " + serial + " in " + dir.resolve(INDEX)
                    + " (./psa pki list --ca " + dir + ")");
        });
    }

    /** Writes crl.pem anew from the index, valid from {@code now} for {@code validity}. */
    X509CRL refreshCrl(Instant now, Duration validity) {
        return locked(() -> writeCrl(entries(), now, validity));
    }

    private X509CRL writeCrl(List<IndexEntry> entries, Instant now, Duration validity) {
        Map<BigInteger, Instant> revoked = new TreeMap<>();
        for (IndexEntry entry : entries) {
            entry.revokedAt().ifPresent(when -> revoked.put(entry.serial(), when));
        }
        X509CRL crl = RevocationLists.create(ca, revoked, now, now.plus(validity));
        SecretFiles.writePublic(crlFile(), Pem.writeCrl(crl));
        return crl;
    }

    private <T> T locked(Supplier<T> action) {
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(".lock") + ": " + e.getMessage(), e);
        }
    }
}
