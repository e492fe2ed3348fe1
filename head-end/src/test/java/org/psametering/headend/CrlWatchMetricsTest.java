package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.psametering.crypto.pki.Pem;
import org.psametering.protocol.trust.CrlFileTrust;
import org.psametering.protocol.trust.ThrowawayPki;

/** A CRL file that cannot be reloaded is a metric, not only an ERROR log line. */
class CrlWatchMetricsTest {

    @Test
    void aCrlFileThatCannotBeReloadedIsCountedAndShownAsAProblem(@TempDir Path dir) throws Exception {
        ThrowawayPki pki = ThrowawayPki.create(new SecureRandom());
        Path file = dir.resolve("crl.pem");
        Files.writeString(file, Pem.writeCrl(pki.revoking(List.of())));
        CrlFileTrust crl = CrlFileTrust.open(pki.anchor(), file, Clock.systemUTC(), Duration.ofHours(1), new CrlFileTrust.Listener() {
            @Override
            public void loaded(Path f, X509CRL list) {
            }

            @Override
            public void failed(Path f, String reason) {
            }
        });
        HeadEndMetrics metrics = new HeadEndMetrics(new org.psametering.headend.core.RejectionCounters(),
                new org.psametering.headend.core.IngestCounters(), List::of,
                () -> new org.psametering.headend.mqtt.LinkStatus(true, true, null, 0, 0, 0, 0));
        metrics.crls(new CrlWatch(List.of(crl)));
        assertTrue(metrics.scrape().contains("psa_crl_problems 0.0"), metrics.scrape());
        Files.writeString(file, "not a CRL");
        crl.reload();
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("psa_crl_problems 1.0"), scrape);
        assertTrue(scrape.contains("psa_crl_reload_failures_total 1.0"), scrape);
    }
}
