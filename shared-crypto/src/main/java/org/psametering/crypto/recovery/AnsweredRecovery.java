package org.psametering.crypto.recovery;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a meter persists about the last recovery request it answered, next to its last used label, BEFORE it sends
 * the answer: the group and epoch, the label, and the request's digest. {@link RecoveryPolicy} answers a later request
 * only for a newer label, or again for exactly this request (the answer is a deterministic function of the request,
 * so repeating it reveals nothing new, and a head-end restart in the middle of a recovery can still complete).
 */
public record AnsweredRecovery(String groupId, long epoch, long label, byte[] requestDigest) {

    public AnsweredRecovery {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(requestDigest, "requestDigest");
        if (requestDigest.length != RecoveryRequest.DIGEST_BYTES) {
            throw new IllegalArgumentException("request digest must be " + RecoveryRequest.DIGEST_BYTES + " bytes");
        }
        requestDigest = requestDigest.clone();
    }

    @Override
    public byte[] requestDigest() {
        return requestDigest.clone();
    }

    boolean sameDigest(byte[] digest) {
        return Arrays.equals(requestDigest, digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnsweredRecovery a && groupId.equals(a.groupId) && epoch == a.epoch && label == a.label
                && Arrays.equals(requestDigest, a.requestDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, epoch, label) * 31 + Arrays.hashCode(requestDigest);
    }

    @Override
    public String toString() {
        return "AnsweredRecovery[group=" + groupId + ", epoch=" + epoch + ", label=" + label + ", request="
                + HexFormat.of().formatHex(requestDigest, 0, 8) + "]";
    }
}
