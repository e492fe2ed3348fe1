package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.psametering.headend.core.EpochPhase;
import org.psametering.headend.core.IngestCounters;
import org.psametering.headend.core.RejectReason;
import org.psametering.headend.core.RejectionCounters;
import org.psametering.headend.mqtt.LinkStatus;

class HeadEndMetricsTest {
    private static final LinkStatus UP = new LinkStatus(true, true, null, 0, 3, 0, 0);

    @Test
    void prometheusScrapeCarriesTheCoreCounters() {
        RejectionCounters rejections = new RejectionCounters();
        rejections.count(RejectReason.FORGED);
        rejections.count(RejectReason.FORGED);
        IngestCounters counters = new IngestCounters();
        counters.accepted(41);
        GroupStatus group = new GroupStatus("g", 0, EpochPhase.ACTIVE, "p", 900, List.of("a"), 1, 1, OptionalLong.of(5), List.of(0L), 7);
        String scrape = new HeadEndMetrics(rejections, counters, () -> List.of(group), () -> UP).scrape();
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"FORGED\"} 2.0"), scrape);
        assertTrue(scrape.contains("psa_messages_rejected_total{reason=\"MALFORMED\"} 0.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_accepted_total 41.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_pending 7.0"), scrape);
    }

    /** The suppliers are lambdas only the metrics reference: a weakly held gauge would read NaN after a collection. */
    @Test
    void theMqttLinkMetricsSurviveGarbageCollection() {
        LinkStatus down = new LinkStatus(true, false, "session taken over by another client with id x", 2, 5, 4, 1);
        GroupStatus group = new GroupStatus("g", 0, EpochPhase.ACTIVE, "p", 900, List.of("a"), 1, 1, OptionalLong.of(5), List.of(0L), 7);
        HeadEndMetrics metrics = new HeadEndMetrics(new RejectionCounters(), new IngestCounters(), () -> List.of(group), () -> down);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("psa_mqtt_connected 1.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_subscribed 0.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_session_takeovers_total 2.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_reconnects_total 5.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_outbox 4.0"), scrape);
        assertTrue(scrape.contains("psa_mqtt_outbox_dropped_total 1.0"), scrape);
        assertTrue(scrape.contains("psa_ciphertexts_pending 7.0"), scrape);
        assertTrue(scrape.contains("psa_groups 1.0"), scrape);
    }
}
