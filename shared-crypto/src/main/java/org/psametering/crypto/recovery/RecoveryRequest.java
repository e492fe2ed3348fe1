package org.psametering.crypto.recovery;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.psametering.crypto.internal.DomainInput;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaParameters;

/**
 * The head-end's request to recover label of group from the meters that reported: the missing meters (at least one),
 * the reporting set being every other member of the epoch's key set. Every answer names the request by its
 * {@link #digest()}, so an answer computed for one missing set is never combined with another.
 */
public record RecoveryRequest(GroupContext group, long label, SortedSet<MeterId> missing) {

    /** Domain string of the request digest (README section 11). */
    public static final String DIGEST_DOMAIN = "psa-metering/lwr-psa/recovery-request/v1";
    public static final int DIGEST_BYTES = 32;

    public RecoveryRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(missing, "missing");
        if (!group.params().scheme().supportsRecovery()) {
            throw new IllegalArgumentException("parameter set " + group.params().name() + " (scheme "
                    + group.params().scheme() + ") does not support recovery; use a recoverable set such as "
                    + PsaParameters.RECOVERABLE.name());
        }
        TreeSet<MeterId> copy = new TreeSet<>();
        for (MeterId id : missing) {
            copy.add(Objects.requireNonNull(id, "missing meter id"));
        }
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a recovery request needs at least one missing meter (none missing: "
                    + "aggregate the complete step instead)");
        }
        if (copy.size() >= group.groupSize()) {
            throw new IllegalArgumentException(copy.size() + " of " + group.groupSize() + " meters missing: nobody "
                    + "left to report");
        }
        missing = Collections.unmodifiableSortedSet(copy);
    }

    /** Number of reporting meters |S| = N - |M|. */
    public int reportingCount() {
        return group.groupSize() - missing.size();
    }

    /**
     * SHA3-256( str(domain) || u16(P.id) || str(P.name) || str(group) || u64(epoch) || i64(label) || u64(N)
     * || u64(|M|) || str(m_1) || ... || str(m_|M|) ), missing ids in ascending order.
     */
    public byte[] digest() {
        PsaParameters params = group.params();
        DomainInput in = new DomainInput()
                .string(DIGEST_DOMAIN)
                .u16(params.id())
                .string(params.name())
                .string(group.groupId())
                .u64(group.epoch())
                .u64(label)
                .u64(group.groupSize())
                .u64(missing.size());
        for (MeterId id : missing) {
            in.string(id.value());
        }
        try {
            return MessageDigest.getInstance("SHA3-256").digest(in.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA3-256", e);
        }
    }

    @Override
    public String toString() {
        return "RecoveryRequest[group=" + group.groupId() + ", epoch=" + group.epoch() + ", label=" + label
                + ", missing=" + missing.size() + ", reporting=" + reportingCount() + "]";
    }
}
