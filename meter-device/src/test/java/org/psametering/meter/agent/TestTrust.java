package org.psametering.meter.agent;

import java.security.SecureRandom;
import java.time.Clock;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.ThrowawayPki;

/** One throw-away CA for the meter tests: the meters' identities and the head-end's signature on what tests send. */
public final class TestTrust {

    public static final ThrowawayPki PKI = ThrowawayPki.create(new SecureRandom());

    private TestTrust() {
    }

    /** A meter's trust in the test CA; the harness's groups are small, so the minimum group size is 1. */
    public static MeterTrust meter(String id, Clock clock) {
        return new MeterTrust(PKI.meter(id).identity(), PKI.verifier(clock), ThrowawayPki.HEAD_END_NAME, 1);
    }

    /** The payload as the real head-end would publish it: announcements, key sets and recovery requests signed. */
    public static byte[] signed(String topic, byte[] payload) {
        if (payload.length == 0) {
            return payload;
        }
        Topic parsed;
        try {
            parsed = Topics.parse(topic);
        } catch (MalformedMessageException e) {
            return payload;
        }
        SignedMessage.Kind kind = switch (parsed.kind()) {
            case ANNOUNCE -> SignedMessage.Kind.ANNOUNCEMENT;
            case KEYSET -> SignedMessage.Kind.KEY_SET;
            case RECOVERY -> SignedMessage.Kind.RECOVERY_REQUEST;
            default -> null;
        };
        return kind == null ? payload : SignedMessage.sign(PKI.headEnd().identity(), kind, payload).encode();
    }
}
