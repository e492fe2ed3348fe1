package org.psametering.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.cli.PsaMain;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.RevocationLists;
import org.psametering.crypto.pki.Role;
import org.psametering.crypto.pki.TlsContexts;
import picocli.CommandLine;

/** {@code psa pki} as a user runs it: through the command line, checking files, permissions and output. */
class PkiCommandTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    static Run psa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PsaMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path ca() {
        Path ca = tmp.resolve("ca");
        Run run = psa("pki", "init-ca", "--dir", ca.toString(), "--name", "Test Metering CA");
        assertEquals(0, run.exit(), run.err());
        return ca;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static X509Certificate cert(Path file) throws Exception {
        return Pem.readCertificate(Files.readString(file));
    }

    @Test
    void initCaWritesAPrivateKeyOnlyTheOwnerCanRead() throws Exception {
        Path ca = ca();
        assertEquals("rw-------", mode(ca.resolve("ca.key")));
        assertEquals("rwx------", mode(ca));
        assertEquals("rw-r--r--", mode(ca.resolve("ca.crt")));
        X509Certificate anchor = cert(ca.resolve("ca.crt"));
        assertEquals(Optional.of("Test Metering CA"), CertificateVerifier.commonName(anchor));
        TlsContexts.checkKeyMatches(anchor, Pem.readPrivateKey(Files.readString(ca.resolve("ca.key"))));
        X509CRL crl = Pem.readCrl(Files.readString(ca.resolve("crl.pem")));
        assertEquals(Set.of(), RevocationLists.revokedSerials(crl));
    }

    @Test
    void initCaRefusesToReplaceACaWithoutForce() throws Exception {
        Path ca = ca();
        String key = Files.readString(ca.resolve("ca.key"));
        Run again = psa("pki", "init-ca", "--dir", ca.toString(), "--name", "Other");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("already exists; use --force"), again.err());
        assertEquals(key, Files.readString(ca.resolve("ca.key")), "the old key is untouched");
        assertEquals(0, psa("pki", "init-ca", "--dir", ca.toString(), "--name", "Other", "--force").exit());
        assertFalse(key.equals(Files.readString(ca.resolve("ca.key"))));
    }

    @Test
    void issueMeterWritesKeyCertificateAndAnchorThatVerify() throws Exception {
        Path ca = ca();
        Path out = tmp.resolve("meter-001");
        Run run = psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("issued METER certificate for 'meter-001': serial 1"), run.out());
        assertEquals("rw-------", mode(out.resolve("meter-001.key")));
        assertEquals("rwx------", mode(out));
        X509Certificate meter = cert(out.resolve("meter-001.crt"));
        X509Certificate anchor = cert(out.resolve("ca.crt"));
        CertificateCheck check = new CertificateVerifier(anchor, Optional.empty()).verify(meter, Role.METER, "meter-001", Instant.now());
        assertEquals(CertificateCheck.Reason.OK, check.reason(), check.detail());
        TlsContexts.checkKeyMatches(meter, Pem.readPrivateKey(Files.readString(out.resolve("meter-001.key"))));
    }

    @Test
    void issueRefusesToOverwriteAndForceReplaces() throws Exception {
        Path ca = ca();
        Path out = tmp.resolve("out");
        assertEquals(0, psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", out.toString()).exit());
        String key = Files.readString(out.resolve("meter-001.key"));
        Run again = psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", out.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("meter-001.key already exists; use --force"), again.err());
        assertEquals(key, Files.readString(out.resolve("meter-001.key")));
        assertEquals(1, CaDirectory.open(ca).entries().size(), "nothing issued by the refused run");
        Run forced = psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", out.toString(), "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertFalse(key.equals(Files.readString(out.resolve("meter-001.key"))));
        assertEquals(BigInteger.TWO, cert(out.resolve("meter-001.crt")).getSerialNumber());
    }

    @Test
    void issueRefusesAnIdThatIsNoMqttName() {
        Path ca = ca();
        Run run = psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter/1", "--out", tmp.resolve("x").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("common name must be"), run.err());
    }

    @Test
    void issueHeadEndAndBrokerCarryTheirRolesAndHosts() throws Exception {
        Path ca = ca();
        Path out = tmp.resolve("servers");
        assertEquals(0, psa("pki", "issue-head-end", "--ca", ca.toString(), "--out", out.toString(), "--host", "he.example").exit());
        assertEquals(0, psa("pki", "issue-broker", "--ca", ca.toString(), "--out", out.toString()).exit());
        X509Certificate headEnd = cert(out.resolve("head-end.crt"));
        X509Certificate broker = cert(out.resolve("broker.crt"));
        assertEquals(Optional.of(Role.HEAD_END), CertificateVerifier.role(headEnd));
        assertEquals(Optional.of(Role.BROKER), CertificateVerifier.role(broker));
        assertEquals(List.of("localhost", "127.0.0.1"),
                broker.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList());
        assertEquals(List.of("he.example"),
                headEnd.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList());
    }

    @Test
    void listShowsEveryCertificateAndRevocation() {
        Path ca = ca();
        psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", tmp.resolve("a").toString());
        psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-002", "--out", tmp.resolve("b").toString());
        psa("pki", "revoke", "--ca", ca.toString(), "--serial", "2");
        Run list = psa("pki", "list", "--ca", ca.toString());
        assertEquals(0, list.exit(), list.err());
        List<String> lines = list.out().lines().toList();
        assertTrue(lines.get(0).contains("2 certificate(s)"), list.out());
        assertTrue(lines.get(2).matches("1\\s+METER\\s+meter-001\\s+\\S+\\s+\\S+\\s+valid"), lines.get(2));
        assertTrue(lines.get(3).matches("2\\s+METER\\s+meter-002\\s+\\S+\\s+\\S+\\s+revoked \\S+"), lines.get(3));
    }

    @Test
    void revokeRewritesTheCrlSignedByTheCa() throws Exception {
        Path ca = ca();
        psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", tmp.resolve("a").toString());
        X509Certificate meter = cert(tmp.resolve("a/meter-001.crt"));
        Run run = psa("pki", "revoke", "--ca", ca.toString(), "--serial", "1");
        assertEquals(0, run.exit(), run.err());
        X509CRL crl = Pem.readCrl(Files.readString(ca.resolve("crl.pem")));
        assertEquals(Set.of(BigInteger.ONE), RevocationLists.revokedSerials(crl));
        CertificateVerifier verifier = new CertificateVerifier(cert(ca.resolve("ca.crt")), Optional.of(crl));
        assertEquals(CertificateCheck.Reason.REVOKED, verifier.verify(meter, Role.METER, "meter-001", Instant.now()).reason());
    }

    @Test
    void revokeRefusesUnknownAndTwiceRevokedSerials() {
        Path ca = ca();
        psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-001", "--out", tmp.resolve("a").toString());
        Run unknown = psa("pki", "revoke", "--ca", ca.toString(), "--serial", "9");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no certificate with serial 9"), unknown.err());
        assertEquals(0, psa("pki", "revoke", "--ca", ca.toString(), "--serial", "1").exit());
        Run twice = psa("pki", "revoke", "--ca", ca.toString(), "--serial", "1");
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("already revoked"), twice.err());
    }

    @Test
    void crlRefreshesTheNextUpdate() throws Exception {
        Path ca = ca();
        Run run = psa("pki", "crl", "--ca", ca.toString(), "--days", "3");
        assertEquals(0, run.exit(), run.err());
        X509CRL crl = Pem.readCrl(Files.readString(ca.resolve("crl.pem")));
        long days = java.time.Duration.between(crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant()).toDays();
        assertEquals(3, days);
        assertTrue(run.out().contains("0 revoked serial(s)"), run.out());
    }

    @Test
    void showPrintsCertificateAndCrlButNeverAKey() {
        Path ca = ca();
        psa("pki", "issue-meter", "--ca", ca.toString(), "--id", "meter-007", "--out", tmp.resolve("m").toString());
        psa("pki", "revoke", "--ca", ca.toString(), "--serial", "1");
        Run cert = psa("pki", "show", tmp.resolve("m/meter-007.crt").toString());
        assertEquals(0, cert.exit(), cert.err());
        assertTrue(cert.out().contains("common name:  meter-007"), cert.out());
        assertTrue(cert.out().contains("role:         METER"), cert.out());
        assertTrue(cert.out().contains("issuer:       CN=Test Metering CA"), cert.out());
        Run crl = psa("pki", "show", ca.resolve("crl.pem").toString());
        assertEquals(0, crl.exit(), crl.err());
        assertTrue(crl.out().contains("revoked:      1 (1)"), crl.out());
        Run key = psa("pki", "show", tmp.resolve("m/meter-007.key").toString());
        assertEquals(2, key.exit());
        assertTrue(key.err().contains("is a private key"), key.err());
        assertFalse(key.out().contains("PRIVATE"), key.out());
    }

    @Test
    void showReadsDerAndRefusesGarbage() throws Exception {
        Path ca = ca();
        Path der = tmp.resolve("ca.der");
        Files.write(der, Pem.certificateToDer(cert(ca.resolve("ca.crt"))));
        Run run = psa("pki", "show", der.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("role:         CA"), run.out());
        Path junk = tmp.resolve("junk");
        Files.writeString(junk, "hello");
        Run bad = psa("pki", "show", junk.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("neither a certificate"), bad.err());
    }

    @Test
    void commandsOnAMissingCaSayHowToCreateOne() {
        Run run = psa("pki", "list", "--ca", tmp.resolve("nope").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("init-ca"), run.err());
    }
}
