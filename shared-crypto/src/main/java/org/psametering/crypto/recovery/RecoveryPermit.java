package org.psametering.crypto.recovery;

import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;

/**
 * Proof, in the type system, that {@link RecoveryPolicy} accepted request for meter self: the only way to obtain a
 * {@link RecoveryResponder} answer. Only the policy creates permits.
 */
public final class RecoveryPermit {

    private final RecoveryRequest request;
    private final MeterId self;
    private final KeySet keySet;
    private final byte[] digest;

    RecoveryPermit(RecoveryRequest request, MeterId self, KeySet keySet, byte[] digest) {
        this.request = request;
        this.self = self;
        this.keySet = keySet;
        this.digest = digest.clone();
    }

    public RecoveryRequest request() {
        return request;
    }

    public MeterId self() {
        return self;
    }

    KeySet keySet() {
        return keySet;
    }

    byte[] digest() {
        return digest.clone();
    }

    /** What the meter persists before sending the answer. */
    public AnsweredRecovery record() {
        return new AnsweredRecovery(request.group().groupId(), request.group().epoch(), request.label(), digest);
    }

    @Override
    public String toString() {
        return "RecoveryPermit[" + self + ", " + request + "]";
    }
}
