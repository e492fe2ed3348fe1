package org.psametering.protocol.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;

/** A CRL file replaced at run time counts from the next check on; a bad replacement never weakens revocation. */
class CrlFileTrustTest {

    private static final ThrowawayPki PKI = ThrowawayPki.create(new SecureRandom());
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> events = new ArrayList<>();
    private final CrlFileTrust.Listener listener = new CrlFileTrust.Listener() {
        @Override
        public void loaded(Path file, X509CRL crl) {
            events.add("loaded");
        }

        @Override
        public void failed(Path file, String reason) {
            events.add("failed: " + reason);
        }
    };

    private static void write(Path file, List<String> revoked) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, Pem.writeCrl(PKI.revoking(revoked)));
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String reasonOf(Runnable check) {
        return assertThrows(UntrustedIdentityException.class, check::run).reason();
    }

    @Test
    void aMeterRevokedAfterTheStartIsRefusedOnceTheFileIsReloaded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.crl");
        write(file, List.of("other"));
        CrlFileTrust trust = CrlFileTrust.open(PKI.anchor(), file, Clock.systemUTC(), HOUR, listener);
        byte[] m1 = PKI.meter("m1").certificate().getEncoded();
        byte[] m2 = PKI.meter("m2").certificate().getEncoded();
        assertNotNull(trust.meterKey(m1, "m1")); // now cached as accepted
        assertNotNull(trust.meterKey(m2, "m2"));
        assertFalse(trust.reload(), "an unchanged file is not read again");

        write(file, List.of("other", "m1"));
        assertTrue(trust.reload());
        assertEquals(List.of("loaded"), events);
        assertEquals(CertificateCheck.Reason.REVOKED.name(), reasonOf(() -> trust.meterKey(m1, "m1")), "the cached acceptance is dropped");
        assertEquals(CertificateCheck.Reason.REVOKED.name(), reasonOf(() -> trust.meter(m1, "m1")));
        assertNotNull(trust.meterKey(m2, "m2"), "the others stay accepted");
    }

    @Test
    void aFileThatCannotBeLoadedIsAStateToShowUntilAGoodOneIsLoaded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.crl");
        write(file, List.of());
        CrlFileTrust trust = CrlFileTrust.open(PKI.anchor(), file, Clock.systemUTC(), HOUR, listener);
        assertEquals(java.util.Optional.empty(), trust.reloadProblem());
        assertEquals(0, trust.failedReloads());

        Files.writeString(file, "not a CRL at all");
        trust.reload();
        assertTrue(trust.reloadProblem().orElseThrow().contains("previous CRL stays"), trust.reloadProblem().toString());
        assertEquals(1, trust.failedReloads());
        Files.delete(file);
        trust.reload();
        assertTrue(trust.reloadProblem().orElseThrow().contains("does not exist"), trust.reloadProblem().toString());
        assertEquals(2, trust.failedReloads());

        write(file, List.of("m9"));
        assertTrue(trust.reload());
        assertEquals(java.util.Optional.empty(), trust.reloadProblem(), "a good file clears the problem");
        assertEquals(2, trust.failedReloads(), "the count stays");
    }

    @Test
    void everyCheckLooksAtTheFileAgainOnceTheIntervalPassed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.crl");
        write(file, List.of());
        CrlFileTrust trust = CrlFileTrust.open(PKI.anchor(), file, Clock.systemUTC(), Duration.ofMillis(1), listener);
        byte[] m3 = PKI.meter("m3").certificate().getEncoded();
        assertNotNull(trust.meter(m3, "m3"));
        write(file, List.of("m3"));
        Thread.sleep(5);
        assertEquals(CertificateCheck.Reason.REVOKED.name(), reasonOf(() -> trust.meter(m3, "m3")), "no explicit reload needed");
    }

    @Test
    void aBrokenOrMissingReplacementKeepsThePreviousCrlAndIsReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.crl");
        write(file, List.of("m4"));
        CrlFileTrust trust = CrlFileTrust.open(PKI.anchor(), file, Clock.systemUTC(), HOUR, listener);
        byte[] m4 = PKI.meter("m4").certificate().getEncoded();

        Files.writeString(file, "-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n");
        assertFalse(trust.reload());
        assertEquals(1, events.size());
        assertTrue(events.get(0).startsWith("failed: ") && events.get(0).contains("previous CRL stays"), events.toString());
        assertEquals(CertificateCheck.Reason.REVOKED.name(), reasonOf(() -> trust.meter(m4, "m4")), "m4 stays revoked");
        assertFalse(trust.reload(), "the same broken file is reported once");
        assertEquals(1, events.size());

        ThrowawayPki otherCa = ThrowawayPki.create(new SecureRandom());
        Files.writeString(file, Pem.writeCrl(otherCa.revoking(List.of())));
        assertFalse(trust.reload(), "a CRL of another CA is not taken");
        assertEquals(CertificateCheck.Reason.REVOKED.name(), reasonOf(() -> trust.meter(m4, "m4")));

        Files.delete(file);
        assertFalse(trust.reload());
        assertTrue(events.get(events.size() - 1).contains("does not exist"), events.toString());
        assertEquals(CertificateCheck.Reason.REVOKED.name(), reasonOf(() -> trust.meter(m4, "m4")));
    }

    @Test
    void anExpiredCrlKeepsFailingClosedWhateverIsWrittenNext(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.crl");
        write(file, List.of());
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        CrlFileTrust trust = CrlFileTrust.open(PKI.anchor(), file, clock, HOUR, listener);
        byte[] m5 = PKI.meter("m5").certificate().getEncoded();
        assertNotNull(trust.meter(m5, "m5"));
        now.set(now.get().plus(Duration.ofDays(400))); // past the CRL's nextUpdate (a year)
        assertEquals(CertificateCheck.Reason.CRL_OUTDATED.name(), reasonOf(() -> trust.meter(m5, "m5")));
        Files.writeString(file, "garbage");
        assertFalse(trust.reload());
        assertEquals(CertificateCheck.Reason.CRL_OUTDATED.name(), reasonOf(() -> trust.meter(m5, "m5")));
    }

    @Test
    void aBadFileAtTheStartIsAnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ca.crl");
        assertThrows(PkiFormatException.class, () -> CrlFileTrust.open(PKI.anchor(), file, Clock.systemUTC(), HOUR, listener));
        Files.writeString(file, "garbage");
        assertThrows(PkiFormatException.class, () -> CrlFileTrust.open(PKI.anchor(), file, Clock.systemUTC(), HOUR, listener));
    }
}
