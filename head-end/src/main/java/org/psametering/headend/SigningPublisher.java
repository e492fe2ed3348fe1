package org.psametering.headend;

import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.SignedMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.Topics;
import org.psametering.protocol.trust.SigningIdentity;

/**
 * Signs everything the meters act on before it leaves: announcements (group and per-epoch topic), key sets and
 * recovery requests go out as {@link SignedMessage}s under the head-end's identity. Empty retained payloads (clearing a
 * topic) and results pass unchanged. A decorator below {@link PerEpochAnnouncements}, so the core and its tests keep
 * working with the JSON bodies; Ed25519 is deterministic, so the same body always gives the same signed bytes.
 */
public final class SigningPublisher implements Publisher {

    private final Publisher delegate;
    private final SigningIdentity identity;

    public SigningPublisher(Publisher delegate, SigningIdentity identity) {
        this.delegate = delegate;
        this.identity = identity;
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        SignedMessage.Kind kind = payload.length == 0 ? null : kindOf(topic);
        delegate.publish(topic, kind == null ? payload : SignedMessage.sign(identity, kind, payload).encode(), retained);
    }

    private static SignedMessage.Kind kindOf(String topic) {
        Topic parsed;
        try {
            parsed = Topics.parse(topic);
        } catch (MalformedMessageException e) {
            return null;
        }
        return switch (parsed.kind()) {
            case ANNOUNCE -> SignedMessage.Kind.ANNOUNCEMENT;
            case KEYSET -> SignedMessage.Kind.KEY_SET;
            case RECOVERY -> SignedMessage.Kind.RECOVERY_REQUEST;
            default -> null;
        };
    }
}
