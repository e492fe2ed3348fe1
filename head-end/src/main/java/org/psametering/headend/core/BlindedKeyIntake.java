package org.psametering.headend.core;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.BlindedKeySum;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.psa.AggregationKey;

/**
 * The blinded keys of one epoch's key setup once its key set is fixed: each verified key is folded into the running
 * K as it is applied (after the caller stored it) and then dropped, so a group costs one vector during key setup, not
 * one 48 KiB key per member for as long as the epoch lives (issue 12: 1 000 groups of 100 held ~7 GiB). What stays
 * per member is the SHA-256 of its accepted encoding: a redelivery (the broker sends a key again when its
 * acknowledgement was lost) is recognised as unchanged, a different second key is refused. Crash consistency rests
 * on the stored rows, not on this: after a restart the epoch replays them and folds them again.
 *
 * <p>A recoverable epoch keeps the decoded keys as well: recovering a step subtracts the missing meters' blinded
 * keys from K (docs/protocol.md, "Recovery").
 */
final class BlindedKeyIntake {
    private final String what;
    private final int members;
    private final Map<String, ByteBuffer> digests = new HashMap<>();
    private final Map<String, BlindedKey> kept;
    private BlindedKeySum sum;

    BlindedKeyIntake(KeySet keySet, boolean keepForRecovery, String what) {
        this.what = what;
        this.members = keySet.members().size();
        this.sum = new BlindedKeySum(keySet);
        this.kept = keepForRecovery ? new HashMap<>() : null;
    }

    /**
     * True if {@code meter}'s key was accepted before with exactly this encoding; false if none was.
     *
     * @throws Rejected DUPLICATE if a different key of {@code meter} was accepted
     */
    boolean alreadyAccepted(String meter, byte[] encoding) {
        ByteBuffer known = digests.get(meter);
        if (known == null) {
            return false;
        }
        if (known.equals(digest(encoding))) {
            return true;
        }
        throw new Rejected(RejectReason.DUPLICATE, "meter " + meter + " sent a second, different blinded key for " + what);
    }

    /** K if {@code blinded} is the last missing key, else null; changes nothing. */
    AggregationKey aggregationKeyIfLast(BlindedKey blinded) {
        if (sum == null || sum.count() + 1 != members) {
            return null;
        }
        return sum.aggregationKeyWith(blinded);
    }

    /** Folds an accepted key into K and forgets it (a recoverable epoch keeps it). */
    void apply(String meter, byte[] encoding, BlindedKey blinded) {
        sum.add(blinded);
        digests.put(meter, digest(encoding));
        if (kept != null) {
            kept.put(meter, blinded);
        }
        if (sum.complete()) {
            sum.wipe(); // K is the caller's now; the partial sum is as secret and no longer needed
            sum = null;
        }
    }

    /** A key stored next to an already derived K (recoverable epochs after a restart): kept, not folded again. */
    void restoreBeside(String meter, byte[] encoding, BlindedKey blinded) {
        if (sum != null) {
            sum.wipe();
            sum = null;
        }
        digests.put(meter, digest(encoding));
        if (kept != null) {
            kept.put(meter, blinded);
        }
    }

    /**
     * The epoch no longer needs its blinded keys (retired, or superseded before it became active): the kept keys and a
     * partial sum are let go; the digests stay, so a redelivery is still recognised.
     */
    void release() {
        if (sum != null) {
            sum.wipe();
            sum = null;
        }
        if (kept != null) {
            kept.clear();
        }
    }

    boolean has(String meter) {
        return digests.containsKey(meter);
    }

    int received() {
        return digests.size();
    }

    int retained() {
        return kept == null ? 0 : kept.size();
    }

    Optional<BlindedKey> kept(String meter) {
        return kept == null ? Optional.empty() : Optional.ofNullable(kept.get(meter));
    }

    private static ByteBuffer digest(byte[] encoding) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(encoding));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
