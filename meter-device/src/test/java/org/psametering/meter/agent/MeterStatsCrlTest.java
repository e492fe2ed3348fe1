package org.psametering.meter.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.pki.Pem;
import org.psametering.protocol.trust.CrlFileTrust;
import org.psametering.protocol.trust.ThrowawayPki;

/** A CRL file that cannot be reloaded shows in the meter's status (degraded, counted), not only in the log. */
class MeterStatsCrlTest {

    private static final CrlFileTrust.Listener QUIET = new CrlFileTrust.Listener() {
        @Override
        public void loaded(Path file, X509CRL crl) {
        }

        @Override
        public void failed(Path file, String reason) {
        }
    };

    private static MeterStats plain() {
        return new MeterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, Map.of(), 0, Map.of(), "", List.of(), 0);
    }

    @Test
    void aCrlFileThatCannotBeReloadedMakesTheMeterDegradedUntilAGoodOneIsLoaded(@TempDir Path dir) throws Exception {
        ThrowawayPki pki = ThrowawayPki.create(new SecureRandom());
        Path file = dir.resolve("crl.pem");
        Files.writeString(file, Pem.writeCrl(pki.revoking(List.of())));
        CrlFileTrust crl = CrlFileTrust.open(pki.anchor(), file, Clock.systemUTC(), Duration.ofHours(1), QUIET);
        assertFalse(plain().withCrls(List.of(crl)).degraded());

        Files.writeString(file, "garbage, e.g. a half-copied file");
        crl.reload();
        MeterStats stats = plain().withCrls(List.of(crl));
        assertTrue(stats.degraded());
        assertEquals(1, stats.crlReloadFailures());
        assertTrue(stats.crlProblems().get(0).startsWith(file + ": "), stats.crlProblems().toString());

        Files.writeString(file, Pem.writeCrl(pki.revoking(List.of("m1"))));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        crl.reload();
        MeterStats recovered = plain().withCrls(List.of(crl));
        assertFalse(recovered.degraded());
        assertEquals(1, recovered.crlReloadFailures(), "the count stays");
    }
}
