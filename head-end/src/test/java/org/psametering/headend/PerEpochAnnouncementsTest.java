package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.GroupPhase;
import org.psametering.protocol.Topics;

class PerEpochAnnouncementsTest {

    private record Sent(String topic, byte[] payload, boolean retained) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Publisher publisher = new PerEpochAnnouncements((t, p, r) -> sent.add(new Sent(t, p, r)));

    @Test
    void everyAnnouncementIsAlsoRetainedOnItsEpochsTopicAndClearedWithItsKeySet() {
        byte[] key = Encodings.encode(AgreementKeyPair.generate(new SecureRandom()).publicKey());
        byte[] active = new GroupAnnouncement("g", 4, "p", 900, List.of("m1"), key, GroupPhase.KEY_SETUP, OptionalLong.empty())
                .activate(77).toJson();
        publisher.publish(Topics.announce("g"), active, true);
        assertEquals(List.of(Topics.announce("g"), Topics.epochAnnounce("g", 4)), sent.stream().map(Sent::topic).toList());
        assertArrayEquals(active, sent.get(1).payload());
        assertEquals(true, sent.get(1).retained());

        sent.clear();
        publisher.publish(Topics.keySet("g", 4), new byte[0], true); // the epoch is superseded or retired
        assertEquals(List.of(Topics.keySet("g", 4), Topics.epochAnnounce("g", 4)), sent.stream().map(Sent::topic).toList());
        assertEquals(0, sent.get(1).payload().length);

        sent.clear();
        publisher.publish(Topics.keySet("g", 4), new byte[] {'{'}, true); // a real key set: nothing extra
        publisher.publish(Topics.result("g"), new byte[] {'{'}, false);
        assertEquals(2, sent.size());
    }

    @Test
    void clearingAPerMeterKeySetLeavesTheEpochsAnnouncementAlone() {
        // a sparse epoch's per-meter key sets are cleared with it, thousands of them: the announcement is cleared once,
        // with the group key set topic, not once per meter
        publisher.publish(Topics.meterKeySet("g", 4, "m1"), new byte[0], true);
        assertEquals(List.of(Topics.meterKeySet("g", 4, "m1")), sent.stream().map(Sent::topic).toList());
    }
}
