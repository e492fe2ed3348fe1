package org.psametering.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class JsonMessagesTest {
    private static final byte[] HEAD_END_KEY = {9, 8, 7, 6};

    @Test
    void announcementRoundTripsInBothPhases() {
        GroupAnnouncement setup = new GroupAnnouncement("feeder-1", 4, "lwr", 900, List.of("a", "b"), HEAD_END_KEY,
                GroupPhase.KEY_SETUP, OptionalLong.empty());
        assertEquals(setup, GroupAnnouncement.fromJson(setup.toJson()));
        GroupAnnouncement active = setup.activate(1_953_000);
        GroupAnnouncement parsed = GroupAnnouncement.fromJson(active.toJson());
        assertEquals(active, parsed);
        assertEquals(OptionalLong.of(1_953_000), parsed.activeFromLabel());
        assertArrayEquals(HEAD_END_KEY, parsed.headEndPublicKey());
    }

    @Test
    void announcementErrorsNameTheField() {
        String good = "{\"version\":1,\"group\":\"g\",\"epoch\":1,\"params\":\"p\",\"stepSeconds\":900,\"members\":[\"a\"],"
                + "\"headEndPublicKey\":\"AQI=\",\"state\":\"KEY_SETUP\"}";
        GroupAnnouncement.fromJson(good.getBytes(UTF_8));
        assertMalformed("unsupported or missing version", good.replace("\"version\":1", "\"version\":2"));
        assertMalformed("unknown field 'extra'", good.replace("{", "{\"extra\":1,"));
        assertMalformed("missing field 'params'", good.replace("\"params\":\"p\",", ""));
        assertMalformed("sorted", good.replace("[\"a\"]", "[\"b\",\"a\"]"));
        assertMalformed("sorted", good.replace("[\"a\"]", "[\"a\",\"a\"]"));
        assertMalformed("stepSeconds must be 1..86400", good.replace("900", "0"));
        assertMalformed("'stepSeconds' out of range", good.replace("900", "9000000000"));
        assertMalformed("unknown value 'DONE'", good.replace("KEY_SETUP", "DONE"));
        assertMalformed("activeFromLabel must be present exactly when state is ACTIVE", good.replace("KEY_SETUP", "ACTIVE"));
        assertMalformed("not valid JSON", good.substring(3));
        assertMalformed("not base64", good.replace("AQI=", "!!"));
        assertMalformed("group id", good.replace("\"g\"", "\"g/x\""));
    }

    private static void assertMalformed(String expectedPart, String json) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> GroupAnnouncement.fromJson(json.getBytes(UTF_8)));
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    @Test
    void keySetRoundTripsSortedWithItsKeys() {
        byte[] m1 = SignedPublicKey.sign(FixedIdentity.of(1), "g", 2, "m1", "p", new byte[]{1}).encode();
        byte[] m2 = SignedPublicKey.sign(FixedIdentity.of(2), "g", 2, "m2", "p", new byte[]{2}).encode();
        KeySetMessage keySet = new KeySetMessage("g", 2, "p", Map.of("m2", m2, "m1", m1));
        KeySetMessage parsed = KeySetMessage.fromJson(keySet.toJson());
        assertEquals(keySet, parsed);
        assertEquals(List.of("m1", "m2"), parsed.members());
        assertArrayEquals(new byte[]{2}, parsed.publicKey("m2"), "the key inside the signed frame");
        assertArrayEquals(m2, parsed.signedKey("m2"), "the signed frame exactly as the meter published it");
        String version1 = "{\"version\":1,\"group\":\"g\",\"epoch\":2,\"params\":\"p\",\"members\":[{\"meter\":\"m1\",\"publicKey\":\"AQ==\"}]}";
        MalformedMessageException old = assertThrows(MalformedMessageException.class, () -> KeySetMessage.fromJson(version1.getBytes(UTF_8)));
        assertTrue(old.getMessage().contains("version"), old.getMessage());
        String unsorted = "{\"version\":2,\"group\":\"g\",\"epoch\":2,\"params\":\"p\",\"members\":[{\"meter\":\"m2\",\"signedKey\":\"Ag==\"},"
                + "{\"meter\":\"m1\",\"signedKey\":\"AQ==\"}]}";
        assertThrows(MalformedMessageException.class, () -> KeySetMessage.fromJson(unsorted.getBytes(UTF_8)));
    }

    @Test
    void aPerMeterKeySetCarriesItsRecipientInsideTheBody() {
        byte[] m1 = SignedPublicKey.sign(FixedIdentity.of(1), "g", 2, "m1", "p", new byte[]{1}).encode();
        byte[] m2 = SignedPublicKey.sign(FixedIdentity.of(2), "g", 2, "m2", "p", new byte[]{2}).encode();
        KeySetMessage forM1 = new KeySetMessage("g", 2, "p", Map.of("m2", m2, "m1", m1), java.util.Optional.of("m1"));
        KeySetMessage parsed = KeySetMessage.fromJson(forM1.toJson());
        assertEquals(forM1, parsed);
        assertEquals(java.util.Optional.of("m1"), parsed.recipient());
        KeySetMessage forM2 = new KeySetMessage("g", 2, "p", Map.of("m2", m2, "m1", m1), java.util.Optional.of("m2"));
        assertNotEquals(forM1, forM2, "the recipient is part of the message");
        assertEquals(java.util.Optional.empty(),
                KeySetMessage.fromJson(new KeySetMessage("g", 2, "p", Map.of("m1", m1)).toJson()).recipient());
        assertThrows(MalformedMessageException.class,
                () -> new KeySetMessage("g", 2, "p", Map.of("m1", m1), java.util.Optional.of("m9")),
                "a set that does not list its recipient");
        String recipientNotText = "{\"version\":2,\"group\":\"g\",\"epoch\":2,\"params\":\"p\",\"recipient\":7,"
                + "\"members\":[{\"meter\":\"m1\",\"signedKey\":\"AQ==\"}]}";
        assertThrows(MalformedMessageException.class, () -> KeySetMessage.fromJson(recipientNotText.getBytes(UTF_8)));
        String recipientAbsent = "{\"version\":2,\"group\":\"g\",\"epoch\":2,\"params\":\"p\",\"recipient\":\"m9\","
                + "\"members\":[{\"meter\":\"m1\",\"signedKey\":\"AQ==\"}]}";
        assertThrows(MalformedMessageException.class, () -> KeySetMessage.fromJson(recipientAbsent.getBytes(UTF_8)));
    }

    @Test
    void resultsRoundTripAndKeepTheirInvariants() {
        ResultMessage complete = ResultMessage.complete("g", 1, 77, 123_456);
        assertEquals(complete, ResultMessage.fromJson(complete.toJson()));
        ResultMessage incomplete = ResultMessage.incomplete("g", 1, 78, List.of("m3", "m9"));
        assertEquals(incomplete, ResultMessage.fromJson(incomplete.toJson()));
        assertThrows(MalformedMessageException.class, () -> ResultMessage.incomplete("g", 1, 78, List.of()));
        assertThrows(MalformedMessageException.class,
                () -> new ResultMessage("g", 1, 1, ResultStatus.COMPLETE, OptionalLong.empty(), List.of()));
        // a failed aggregation names its cause instead of missing meters
        ResultMessage failed = ResultMessage.failed("g", 1, 79, ResultReason.AGGREGATION_FAILED);
        assertEquals(failed, ResultMessage.fromJson(failed.toJson()));
        assertTrue(new String(failed.toJson(), UTF_8).contains("\"reason\":\"AGGREGATION_FAILED\""));
        assertThrows(MalformedMessageException.class, () -> new ResultMessage("g", 1, 1, ResultStatus.COMPLETE, OptionalLong.of(1),
                List.of(), java.util.Optional.of(ResultReason.AGGREGATION_FAILED)));
    }

    @Test
    void labelsFollowTheFloorRule() {
        assertEquals(1, TimeSteps.label(java.time.Instant.ofEpochSecond(1799), 900));
        assertEquals(2, TimeSteps.label(java.time.Instant.ofEpochSecond(1800), 900));
        assertEquals(-1, TimeSteps.label(java.time.Instant.ofEpochSecond(-1), 900));
        assertEquals(java.time.Instant.ofEpochSecond(1800), TimeSteps.start(2, 900));
    }
}
