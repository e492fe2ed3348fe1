package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.RejectionCounters;

class HeadEndMetricsTest {
    @Test
    void prometheusScrapeCarriesTheCoreCounters() {
        RejectionCounters rejections = new RejectionCounters();
        rejections.count(RejectReason.FORGED);
        rejections.count(RejectReason.FORGED);
        IngestCounters counters = new IngestCounters();
        counters.accepted(41);
        GroupStatus group = new GroupStatus("g", 0, EpochPhase.ACTIVE, "p", 900, List.of("a"), 1, 1, OptionalLong.of(5), List.of(0L), 7);
        String scrape = new HeadEndMetrics(rejections, counters, () -> List.of(group)).scrape();
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"FORGED\"} 2.0"), scrape);
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"MALFORMED\"} 0.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_accepted_total 41.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_pending 7.0"), scrape);
    }
}
