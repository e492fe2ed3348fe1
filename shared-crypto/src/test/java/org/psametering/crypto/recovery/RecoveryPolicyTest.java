package org.psametering.crypto.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.psametering.crypto.recovery.RecoveryRoundTripTest.ids;

import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.TestGroups;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;

/** Each rule of the meter-side policy, on its own: what is refused, and that the rest is allowed. */
class RecoveryPolicyTest {

    private static final GroupContext GROUP = new GroupContext("g-pol", 5, 4, RecoveryRoundTripTest.SMALL);
    private static final KeySet KEYS = keySet(GROUP);
    private static final MeterId SELF = TestGroups.meterId(0);
    private final RecoveryPolicy policy = new RecoveryPolicy(2);

    private static KeySet keySet(GroupContext group) {
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (int i = 0; i < group.groupSize(); i++) {
            byte[] pk = new byte[32];
            pk[0] = (byte) (i + 1);
            members.put(TestGroups.meterId(i), new AgreementPublicKey(pk));
        }
        return new KeySet(group, members);
    }

    private RecoveryDecision decide(RecoveryRequest request, Optional<AnsweredRecovery> last) {
        return policy.decide(request, SELF, KEYS, 100, last);
    }

    private static void assertRefused(RefusalReason reason, RecoveryDecision d) {
        assertTrue(d instanceof RecoveryDecision.Refuse r && r.reason() == reason, () -> "expected " + reason + ": " + d);
    }

    @Test
    void aValidRequestIsAnsweredAndYieldsTheRecordToPersist() {
        RecoveryRequest request = new RecoveryRequest(GROUP, 100, ids(3));
        RecoveryDecision.Answer a = RecoveryRoundTripTest.assertInstanceOfAnswer(decide(request, Optional.empty()));
        assertEquals(false, a.repeat());
        AnsweredRecovery record = a.permit().record();
        assertEquals(new AnsweredRecovery("g-pol", 5, 100, request.digest()), record);
    }

    @Test
    void oneReportingMeterIsRefused() {
        // N = 4, three missing: the sum over the one reporting meter is its reading
        RecoveryRequest request = new RecoveryRequest(GROUP, 100, ids(1, 2, 3));
        assertRefused(RefusalReason.TOO_FEW_REPORTING, decide(request, Optional.empty()));
    }

    @Test
    void aReportingSetBelowTheMetersOwnMinimumIsRefused() {
        RecoveryRequest request = new RecoveryRequest(GROUP, 100, ids(2, 3));
        RecoveryPolicy strict = new RecoveryPolicy(3);
        assertRefused(RefusalReason.TOO_FEW_REPORTING, strict.decide(request, SELF, KEYS, 100, Optional.empty()));
        assertTrue(policy.decide(request, SELF, KEYS, 100, Optional.empty()) instanceof RecoveryDecision.Answer);
    }

    @Test
    void aMinimumBelowTwoCannotBeConfigured() {
        assertThrows(IllegalArgumentException.class, () -> new RecoveryPolicy(1));
        assertThrows(IllegalArgumentException.class, () -> new RecoveryPolicy(0));
    }

    @Test
    void aRequestListingThisMeterAsMissingIsRefused() {
        assertRefused(RefusalReason.SELF_LISTED_MISSING,
                decide(new RecoveryRequest(GROUP, 100, ids(0)), Optional.empty()));
    }

    @Test
    void aNonMemberOrAnUnknownMissingMeterIsRefused() {
        RecoveryRequest request = new RecoveryRequest(GROUP, 100, ids(3));
        assertRefused(RefusalReason.NOT_A_MEMBER,
                policy.decide(request, TestGroups.meterId(9), KEYS, 100, Optional.empty()));
        assertRefused(RefusalReason.UNKNOWN_MISSING_METER,
                decide(new RecoveryRequest(GROUP, 100, ids(3, 9)), Optional.empty()));
    }

    @Test
    void aRequestForAnotherEpochIsRefused() {
        GroupContext other = new GroupContext("g-pol", 6, 4, RecoveryRoundTripTest.SMALL);
        assertRefused(RefusalReason.WRONG_GROUP, decide(new RecoveryRequest(other, 100, ids(3)), Optional.empty()));
    }

    @Test
    void aLabelThisMeterHasNotEncryptedYetIsRefused() {
        assertRefused(RefusalReason.LABEL_NOT_YET_ENCRYPTED,
                decide(new RecoveryRequest(GROUP, 101, ids(3)), Optional.empty()));
    }

    @Test
    void atMostOneRequestPerLabelIsAnsweredButTheSameRequestMayBeRepeated() {
        RecoveryRequest first = new RecoveryRequest(GROUP, 90, ids(3));
        AnsweredRecovery record = ((RecoveryDecision.Answer) decide(first, Optional.empty())).permit().record();

        RecoveryDecision again = decide(first, Optional.of(record));
        assertTrue(again instanceof RecoveryDecision.Answer a && a.repeat(), again::toString);
        assertRefused(RefusalReason.OTHER_REQUEST_ALREADY_ANSWERED,
                decide(new RecoveryRequest(GROUP, 90, ids(2, 3)), Optional.of(record)));
        assertRefused(RefusalReason.LABEL_OLDER_THAN_LAST_ANSWER,
                decide(new RecoveryRequest(GROUP, 89, ids(3)), Optional.of(record)));
        RecoveryDecision newer = decide(new RecoveryRequest(GROUP, 91, ids(2, 3)), Optional.of(record));
        assertTrue(newer instanceof RecoveryDecision.Answer a && !a.repeat(), newer::toString);
    }

    @Test
    void aRecordOfAnEarlierEpochDoesNotBlockTheNewEpoch() {
        AnsweredRecovery old = new AnsweredRecovery("g-pol", 4, 100, new byte[32]);
        RecoveryDecision d = decide(new RecoveryRequest(GROUP, 100, ids(3)), Optional.of(old));
        assertTrue(d instanceof RecoveryDecision.Answer a && !a.repeat(), d::toString);
    }

    @Test
    void theDigestSeparatesEveryFieldOfTheRequest() {
        RecoveryRequest base = new RecoveryRequest(GROUP, 100, ids(3));
        java.util.List<RecoveryRequest> others = java.util.List.of(
                new RecoveryRequest(GROUP, 101, ids(3)),
                new RecoveryRequest(GROUP, 100, ids(2)),
                new RecoveryRequest(GROUP, 100, ids(2, 3)),
                new RecoveryRequest(new GroupContext("g-pol", 6, 4, RecoveryRoundTripTest.SMALL), 100, ids(3)),
                new RecoveryRequest(new GroupContext("g-pom", 5, 4, RecoveryRoundTripTest.SMALL), 100, ids(3)),
                new RecoveryRequest(new GroupContext("g-pol", 5, 5, RecoveryRoundTripTest.SMALL), 100, ids(3)));
        for (RecoveryRequest other : others) {
            assertTrue(!java.util.Arrays.equals(base.digest(), other.digest()), other::toString);
        }
        assertTrue(java.util.Arrays.equals(base.digest(), new RecoveryRequest(GROUP, 100, ids(3)).digest()));
    }
}
