package org.psametering.meter.agent;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.psametering.crypto.pki.CertificateCheck;
import org.psametering.crypto.wire.Encodings;
import org.psametering.meter.store.EpochState;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MalformedMessageException;
import org.psametering.protocol.SignedPublicKey;
import org.psametering.protocol.trust.UntrustedIdentityException;

/**
 * The meter's own check of a key set before it derives a single mask from it (docs/threat-model.md): the head-end
 * only relays the members' keys, it must not be able to choose them. Every member's key must carry a valid signature,
 * by a valid METER certificate of the trusted CA whose CN is that member's id, over (group, epoch, member, parameter
 * set, key); no key twice; this meter's own key unchanged; and the group no smaller than {@code group.minMembers}
 * nor larger than {@code group.maxMembers}. Member ids cannot repeat: the key set codec refuses unsorted or repeated
 * ids.
 *
 * <p>The members' signatures are checked on up to {@code trust.keySetupThreads()} threads ({@link KeySetupPool});
 * the verdict is the same as a check in member order.
 *
 * <p>A key set that passed is remembered by its digest per epoch, so the retained key set delivered again on every
 * reconnect is not checked again (certificates are also cached by the verifier, across epochs).
 */
final class KeySetVerifier {

    private static final int REMEMBERED_EPOCHS = 8;

    private final String meterId;
    private final String groupId;
    private final MeterTrust trust;
    private final AnnouncementLimits limits;
    private final Map<Long, ByteBuffer> passed = new LinkedHashMap<>();
    private final KeySetupPool checks;

    KeySetVerifier(String meterId, String groupId, MeterTrust trust, AnnouncementLimits limits, KeySetupPool checks) {
        this.meterId = meterId;
        this.groupId = groupId;
        this.trust = trust;
        this.limits = limits;
        this.checks = checks;
    }

    /** @throws RefusedByTrust naming the first reason the key set cannot be used */
    void verify(KeySetMessage keySet, byte[] body, EpochState epoch) {
        ByteBuffer digest = ByteBuffer.wrap(sha256(body));
        if (digest.equals(passed.get(epoch.epoch()))) {
            return;
        }
        int size = keySet.members().size();
        if (size < trust.minGroupSize()) {
            throw new RefusedByTrust(TrustRefusal.GROUP_TOO_SMALL, "key set of epoch " + epoch.epoch() + " has " + size
                    + " members, fewer than group.minMembers " + trust.minGroupSize());
        }
        if (size > limits.maxMembers()) {
            throw new RefusedByTrust(TrustRefusal.GROUP_TOO_LARGE, "key set of epoch " + epoch.epoch() + " has " + size
                    + " members, more than group.maxMembers " + limits.maxMembers());
        }
        if (size != epoch.groupSize() || !keySet.params().equals(epoch.params())) {
            throw new RefusedByTrust(TrustRefusal.KEY_SET_MISMATCH, "key set of epoch " + epoch.epoch() + " (" + size
                    + " members) does not match the announcement this meter joined (" + epoch.groupSize() + " members)");
        }
        verifyMembers(keySet, epoch, digest);
    }

    /**
     * The per-meter key set of a sparse-graph epoch (shared-crypto README section 13.3): the caller has checked that it
     * lists exactly this meter and its neighbours (so the group-size checks apply to the announcement's N, not here);
     * every member's signed key passes the same checks as in the complete set.
     *
     * @throws RefusedByTrust naming the first reason the key set cannot be used
     */
    void verifyNeighbours(KeySetMessage keySet, byte[] body, EpochState epoch) {
        ByteBuffer digest = ByteBuffer.wrap(sha256(body));
        if (digest.equals(passed.get(epoch.epoch()))) {
            return;
        }
        if (!keySet.params().equals(epoch.params())) {
            throw new RefusedByTrust(TrustRefusal.KEY_SET_MISMATCH, "key set of epoch " + epoch.epoch() + " is for parameter"
                    + " set " + LogText.cut(keySet.params()) + ", this meter joined " + epoch.params());
        }
        verifyMembers(keySet, epoch, digest);
    }

    /** Signatures, certificates, revocation, duplicates and this meter's own key; remembers the set if it passed. */
    private void verifyMembers(KeySetMessage keySet, EpochState epoch, ByteBuffer digest) {
        if (!keySet.members().contains(meterId)) {
            throw new RefusedByTrust(TrustRefusal.OWN_KEY, "key set of epoch " + epoch.epoch() + " lacks this meter");
        }
        trust.verifier().refresh(); // a CRL file replaced since the last key set counts for this one
        // every signature is checked before any key is used: nothing is blinded unless all members passed
        List<String> members = List.copyOf(keySet.members());
        byte[][] encodings = new byte[members.size()][];
        RefusedByTrust failure = checks.firstFailure(members.size(), i -> {
            try {
                encodings[i] = checkMember(keySet, members.get(i), epoch);
                return null;
            } catch (RefusedByTrust e) {
                return e;
            }
        });
        if (failure != null) {
            throw failure;
        }
        Set<ByteBuffer> keys = new HashSet<>();
        for (int i = 0; i < encodings.length; i++) {
            if (!keys.add(ByteBuffer.wrap(encodings[i]))) {
                throw new RefusedByTrust(TrustRefusal.DUPLICATE_KEY, "member " + LogText.cut(members.get(i)) + " in epoch "
                        + epoch.epoch() + " carries a key another member carries too");
            }
        }
        byte[] ours = Encodings.encode(epoch.keys().agreementKey().publicKey());
        if (!Arrays.equals(keySet.publicKey(meterId), ours)) {
            throw new RefusedByTrust(TrustRefusal.OWN_KEY, "key set of epoch " + epoch.epoch() + " carries a key for this meter"
                    + " that is not the one it published");
        }
        passed.put(epoch.epoch(), digest);
        while (passed.size() > REMEMBERED_EPOCHS) {
            passed.remove(passed.keySet().iterator().next());
        }
    }

    /** Parse and verify one member's signed key (thread-safe: runs on the check pool); returns the key encoding. */
    private byte[] checkMember(KeySetMessage keySet, String member, EpochState epoch) {
        SignedPublicKey signed;
        try {
            signed = SignedPublicKey.parse(keySet.signedKey(member));
        } catch (MalformedMessageException e) {
            throw new RefusedByTrust(TrustRefusal.MEMBER_KEY_MALFORMED, "key of member " + LogText.cut(member) + " in epoch "
                    + epoch.epoch() + ": " + LogText.cut(e.getMessage()));
        }
        try {
            signed.verify(trust.verifier(), groupId, epoch.epoch(), member, epoch.params());
        } catch (UntrustedIdentityException e) {
            throw new RefusedByTrust(memberReason(e.reason()), "key of member " + LogText.cut(member) + " in epoch "
                    + epoch.epoch() + " (" + e.reason() + "): " + LogText.cut(e.getMessage()));
        }
        return signed.keyEncoding();
    }

    private static TrustRefusal memberReason(String reason) {
        if (reason.equals(UntrustedIdentityException.MESSAGE_SIGNATURE)) {
            return TrustRefusal.MEMBER_SIGNATURE;
        }
        if (reason.equals(CertificateCheck.Reason.REVOKED.name())) {
            return TrustRefusal.MEMBER_REVOKED;
        }
        return TrustRefusal.MEMBER_CERTIFICATE;
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
