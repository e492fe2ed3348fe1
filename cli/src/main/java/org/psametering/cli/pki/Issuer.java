package org.psametering.cli.pki;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.psametering.crypto.pki.IdentityKeys;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.Role;

/**
 * What every issue-* command does: a fresh Ed25519 key made here, a certificate from the CA, and three files in the
 * output directory: {@code <id>.key} (0600), {@code <id>.crt} and {@code ca.crt}. Nothing is written if any of them
 * exists, unless {@code force}.
 */
final class Issuer {
    private Issuer() {}

    static void issue(Path caDir, Role role, String id, List<String> hosts, Path outDir, int days, boolean force,
            PrintWriter out) {
        CaDirectory ca = CaDirectory.open(caDir);
        Path key = outDir.resolve(id + ".key");
        Path cert = outDir.resolve(id + ".crt");
        Path anchor = outDir.resolve(CaDirectory.CA_CERT);
        String caPem = Pem.writeCertificate(ca.credentials().certificate());
        boolean sameAnchor = Files.exists(anchor) && SecretFiles.read(anchor).equals(caPem);
        SecretFiles.refuseOverwrite(force, key, cert);
        if (!sameAnchor) {
            SecretFiles.refuseOverwrite(force, anchor);
        }
        KeyPair keys = IdentityKeys.generate(new SecureRandom());
        X509Certificate issued = ca.issue(role, id, hosts, keys.getPublic(),
                Duration.ofDays(Options.positive(days, "--days")), Instant.now());
        SecretFiles.directory(outDir);
        SecretFiles.writeSecret(key, Pem.writePrivateKey(keys.getPrivate()));
        SecretFiles.writePublic(cert, Pem.writeCertificate(issued));
        if (!sameAnchor) {
            SecretFiles.writePublic(anchor, caPem);
        }
        out.printf("issued %s certificate for '%s': serial %s, valid until %s%s%n", role, id, issued.getSerialNumber(),
                issued.getNotAfter().toInstant(), hosts.isEmpty() ? "" : ", hosts " + String.join(", ", hosts));
        out.printf("  %s  (private key, 0600)%n  %s%n  %s%n", key, cert, anchor);
    }
}
