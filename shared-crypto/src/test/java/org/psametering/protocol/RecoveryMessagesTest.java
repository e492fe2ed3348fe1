package org.psametering.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Draft recovery messages: the JSON request is parsed strictly, the answer is sealed like a ciphertext. */
class RecoveryMessagesTest {
    private static final byte[] SECRET = new byte[32];
    private static final byte[] BODY = {4, 1, 0, 3, 9, 9, 9};

    static {
        Arrays.fill(SECRET, (byte) 5);
    }

    private final MessageKey key = MessageKey.derive(SECRET, "g", 2, "m1");

    @Test
    void requestRoundTrips() {
        RecoveryRequestMessage request = new RecoveryRequestMessage("feeder-1", 3, 1_953_000, List.of("m7", "m9"));
        assertEquals(request, RecoveryRequestMessage.fromJson(request.toJson()));
        assertEquals("{\"version\":1,\"group\":\"feeder-1\",\"epoch\":3,\"label\":1953000,\"missing\":[\"m7\",\"m9\"]}",
                new String(request.toJson(), UTF_8));
    }

    @Test
    void requestErrorsNameTheField() {
        String good = "{\"version\":1,\"group\":\"g\",\"epoch\":2,\"label\":10,\"missing\":[\"a\",\"b\"]}";
        RecoveryRequestMessage.fromJson(good.getBytes(UTF_8));
        assertMalformed("unsupported or missing version", good.replace("\"version\":1", "\"version\":2"));
        assertMalformed("unknown field 'reporting'", good.replace("{", "{\"reporting\":[],"));
        assertMalformed("missing field 'label'", good.replace("\"label\":10,", ""));
        assertMalformed("nothing to recover", good.replace("[\"a\",\"b\"]", "[]"));
        assertMalformed("sorted", good.replace("[\"a\",\"b\"]", "[\"b\",\"a\"]"));
        assertMalformed("sorted", good.replace("[\"a\",\"b\"]", "[\"a\",\"a\"]"));
        assertMalformed("meter id", good.replace("\"b\"", "\"b/#\""));
        assertMalformed("must be >= 0", good.replace("\"label\":10", "\"label\":-1"));
        assertMalformed("must be an integer", good.replace("\"epoch\":2", "\"epoch\":\"2\""));
        assertMalformed("Duplicate field", good.replace("{", "{\"label\":11,"));
    }

    @Test
    void sealedAnswerVerifiesAndYieldsItsBody() {
        byte[] payload = RecoveryAnswerMessage.seal(BODY, key);
        assertArrayEquals(BODY, RecoveryAnswerMessage.parse(payload).verify(key).answerEncoding());
        assertThrows(ForgedMessageException.class,
                () -> RecoveryAnswerMessage.parse(payload).verify(MessageKey.derive(SECRET, "g", 2, "m2")));
        byte[] altered = payload.clone();
        altered[8] ^= 1;
        assertThrows(ForgedMessageException.class, () -> RecoveryAnswerMessage.parse(altered).verify(key));
    }

    @Test
    void anAnswerNeverPassesAsACiphertextNorTheReverse() {
        MalformedMessageException asCiphertext = assertThrows(MalformedMessageException.class,
                () -> CiphertextMessage.parse(RecoveryAnswerMessage.seal(BODY, key)));
        assertEquals("ciphertext message has type 3 (expected 1)", asCiphertext.getMessage());
        MalformedMessageException asAnswer = assertThrows(MalformedMessageException.class,
                () -> RecoveryAnswerMessage.parse(CiphertextMessage.seal(BODY, key)));
        assertEquals("recovery answer message has type 1 (expected 3)", asAnswer.getMessage());
    }

    private static void assertMalformed(String fragment, String json) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> RecoveryRequestMessage.fromJson(json.getBytes(UTF_8)));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
