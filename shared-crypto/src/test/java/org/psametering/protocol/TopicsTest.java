package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    @Test
    void builtTopicsParseBackToTheirParts() {
        Topic ct = Topics.parse(Topics.ciphertext("feeder-7", 12, "m.001"));
        assertEquals(TopicKind.CIPHERTEXT, ct.kind());
        assertEquals("feeder-7", ct.group());
        assertEquals(12, ct.epoch());
        assertEquals("m.001", ct.meterId());

        assertEquals(TopicKind.PUBKEY, Topics.parse(Topics.publicKey("g", 0, "m")).kind());
        assertEquals(TopicKind.BLINDED, Topics.parse(Topics.blindedKey("g", 3, "m")).kind());
        Topic keySet = Topics.parse(Topics.keySet("g", 3));
        assertEquals(TopicKind.KEYSET, keySet.kind());
        assertEquals(3, keySet.epoch());
        assertEquals(TopicKind.ANNOUNCE, Topics.parse(Topics.announce("g")).kind());
        assertEquals(-1, Topics.parse(Topics.announce("g")).epoch(), "the group's announce topic names no epoch");
        Topic perEpoch = Topics.parse(Topics.epochAnnounce("g", 5));
        assertEquals(TopicKind.ANNOUNCE, perEpoch.kind());
        assertEquals(5, perEpoch.epoch());
        assertEquals(TopicKind.RESULT, Topics.parse(Topics.result("g")).kind());
        Topic meterKeySet = Topics.parse(Topics.meterKeySet("g", 3, "m7"));
        assertEquals(TopicKind.KEYSET, meterKeySet.kind());
        assertEquals(3, meterKeySet.epoch());
        assertEquals("m7", meterKeySet.meterId(), "the per-meter key set names its meter");
        assertEquals(java.util.Optional.empty(), keySet.meter(), "the group's key set names none");
    }

    @Test
    void topicShapesAreTheDocumentedOnes() {
        assertEquals("psa/v1/g/announce", Topics.announce("g"));
        assertEquals("psa/v1/g/4/ct/m1", Topics.ciphertext("g", 4, "m1"));
        assertEquals("psa/v1/g/+/ct/+", Topics.ciphertextsFilter("g"));
        assertEquals("psa/v1/g/4/announce", Topics.epochAnnounce("g", 4));
        assertEquals("psa/v1/g/+/announce", Topics.epochAnnouncementsFilter("g"));
        assertEquals("psa/v1/g/4/keyset/m1", Topics.meterKeySet("g", 4, "m1"));
        assertEquals("psa/v1/g/+/keyset/m1", Topics.meterKeySetsFilter("g", "m1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"psa/v2/g/announce", "psa/v1/g/other", "psa/v1/g/+5/ct/m", "psa/v1/g/-1/ct/m", "psa/v1/g/1/ct/m/x",
            "psa/v1/g/1/ct/", "psa/v1/g/1/sausage/m", "psa/v1//announce", "psa/v1/g/1/ct/m#", "psa/v1/g/99999999999999999999/ct/m"})
    void malformedTopicsAreRejected(String topic) {
        assertThrows(MalformedMessageException.class, () -> Topics.parse(topic));
    }

    @Test
    void idsThatCouldWidenASubscriptionAreRefused() {
        assertThrows(MalformedMessageException.class, () -> Topics.ciphertext("g", 1, "+"));
        assertThrows(MalformedMessageException.class, () -> Topics.announce("a/b"));
        assertThrows(MalformedMessageException.class, () -> Topics.meterKeySetsFilter("g", "#"));
    }
}
