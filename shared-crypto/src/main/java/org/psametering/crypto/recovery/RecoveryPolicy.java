package org.psametering.crypto.recovery;

import java.util.Objects;
import java.util.Optional;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.NeighbourKeys;

/**
 * The meter-side rules that keep recovery from becoming a leak (README section 11.4), as a pure function of the
 * request and the meter's persisted state. A meter answers only if:
 * <ol>
 * <li>the request is for its current group, epoch and parameter set, it is a member, and every missing meter is one;
 * <li>it is not itself listed as missing (it is in the reporting set S);
 * <li>|S| is at least its configured minimum (at least 2: a reporting set of one is a single reading);
 * <li>it has already encrypted the label (a recovery never precedes the step's ciphertexts);
 * <li>it has not answered a different request for the same label, nor any newer label (at most one answer per epoch
 * and label: two answers for different missing sets at one label give the head-end the difference of two sums).
 * </ol>
 */
public record RecoveryPolicy(int minReporting) {

    /** A reporting set of one meter would reveal that meter's reading. */
    public static final int LEAST_MIN_REPORTING = 2;

    public RecoveryPolicy {
        if (minReporting < LEAST_MIN_REPORTING) {
            throw new IllegalArgumentException("minimum reporting set must be at least " + LEAST_MIN_REPORTING
                    + " (one reporter's sum is its reading), got " + minReporting);
        }
    }

    /**
     * @param self               this meter
     * @param keySet             this meter's current key set (group, epoch, members)
     * @param lastEncryptedLabel the last label this meter encrypted ({@code PsaEncryptor.lastUsedLabel()})
     * @param lastAnswered       the persisted record of the last answered request, if any
     */
    public RecoveryDecision decide(RecoveryRequest request, MeterId self, KeySet keySet, long lastEncryptedLabel,
                                   Optional<AnsweredRecovery> lastAnswered) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(keySet, "keySet");
        Objects.requireNonNull(lastAnswered, "lastAnswered");
        if (!request.group().equals(keySet.group())) {
            return refuse(RefusalReason.WRONG_GROUP, "request for " + request.group().groupId() + " epoch "
                    + request.group().epoch() + ", key set is " + keySet.group().groupId() + " epoch "
                    + keySet.group().epoch());
        }
        if (!keySet.contains(self)) {
            return refuse(RefusalReason.NOT_A_MEMBER, self + " is not a member");
        }
        return decideForMember(request, self, keySet, lastEncryptedLabel, lastAnswered);
    }

    /**
     * The same rules on a sparse mask graph (shared-crypto README section 13.4), where the meter holds only its
     * neighbours' keys: group and epoch as in keys, itself not missing, |S| at least its minimum, the label encrypted,
     * one request per label. Missing meters that are not its neighbours cannot be checked for membership (the meter does
     * not keep the other N - 1 - |row| ids); they share no mask with it, so they do not change its answer, and a
     * non-member listed as missing only makes |S| smaller. The caller applies the sparse rule of enough reporting
     * neighbours before it answers. The permit answers only with {@link RecoveryResponder#answer(RecoveryPermit,
     * org.psametering.crypto.keysetup.AgreementKeyPair, NeighbourKeys)}.
     */
    public RecoveryDecision decide(RecoveryRequest request, NeighbourKeys keys, long lastEncryptedLabel,
                                   Optional<AnsweredRecovery> lastAnswered) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(lastAnswered, "lastAnswered");
        if (!request.group().equals(keys.group())) {
            return refuse(RefusalReason.WRONG_GROUP, "request for " + request.group().groupId() + " epoch "
                    + request.group().epoch() + ", neighbour keys are " + keys.group().groupId() + " epoch "
                    + keys.group().epoch());
        }
        return decideForMember(request, keys.self(), null, lastEncryptedLabel, lastAnswered);
    }

    private RecoveryDecision decideForMember(RecoveryRequest request, MeterId self, KeySet keySet, long lastEncryptedLabel,
                                             Optional<AnsweredRecovery> lastAnswered) {
        if (request.missing().contains(self)) {
            return refuse(RefusalReason.SELF_LISTED_MISSING, self + " is listed as missing");
        }
        if (keySet != null) {
            for (MeterId m : request.missing()) {
                if (!keySet.contains(m)) {
                    return refuse(RefusalReason.UNKNOWN_MISSING_METER, "missing meter " + m + " is not a member");
                }
            }
        }
        if (request.reportingCount() < minReporting) {
            return refuse(RefusalReason.TOO_FEW_REPORTING, request.reportingCount() + " reporting, minimum "
                    + minReporting);
        }
        if (request.label() > lastEncryptedLabel) {
            return refuse(RefusalReason.LABEL_NOT_YET_ENCRYPTED, "label " + request.label()
                    + " is newer than the last encrypted label " + lastEncryptedLabel);
        }
        byte[] digest = request.digest();
        boolean repeat = false;
        if (lastAnswered.isPresent() && lastAnswered.get().groupId().equals(request.group().groupId())
                && lastAnswered.get().epoch() == request.group().epoch()) {
            AnsweredRecovery last = lastAnswered.get();
            if (request.label() < last.label()) {
                return refuse(RefusalReason.LABEL_OLDER_THAN_LAST_ANSWER, "label " + request.label()
                        + " is older than the last answered label " + last.label());
            }
            if (request.label() == last.label()) {
                if (!last.sameDigest(digest)) {
                    return refuse(RefusalReason.OTHER_REQUEST_ALREADY_ANSWERED, "label " + request.label()
                            + " was already answered for a different missing set");
                }
                repeat = true;
            }
        }
        return new RecoveryDecision.Answer(new RecoveryPermit(request, self, keySet, digest), repeat);
    }

    private static RecoveryDecision refuse(RefusalReason reason, String detail) {
        return new RecoveryDecision.Refuse(reason, detail);
    }
}
