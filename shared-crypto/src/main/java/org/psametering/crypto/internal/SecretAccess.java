package org.psametering.crypto.internal;

import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.keysetup.ResidualMask;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

/**
 * Lets the crypto packages reach each other's key material without a public getter that application code could
 * misuse (the JDK's "SharedSecrets" pattern): each key class registers an accessor from its static initialiser.
 *
 * <p>Not API. Accessors return the live vector; callers copy before mutating.
 */
public final class SecretAccess {

    public interface PsaKeys {
        ZqVector vector(PsaKey key);

        PsaKey create(PsaParameters params, ZqVector vector);
    }

    public interface AggregationKeys {
        ZqVector vector(AggregationKey key);

        AggregationKey create(PsaParameters params, ZqVector vector);
    }

    public interface BlindedKeys {
        ZqVector vector(BlindedKey key);

        BlindedKey create(MeterId meter, GroupContext group, ZqVector vector);
    }

    public interface AgreementKeyPairs {
        byte[] privateKey(AgreementKeyPair pair);

        AgreementKeyPair fromPrivateKey(byte[] privateKey);
    }

    public interface ResidualMasks {
        ZqVector vector(ResidualMask mask);
    }

    private static volatile PsaKeys psaKeys;
    private static volatile AggregationKeys aggregationKeys;
    private static volatile BlindedKeys blindedKeys;
    private static volatile AgreementKeyPairs agreementKeyPairs;
    private static volatile ResidualMasks residualMasks;

    private SecretAccess() {
    }

    public static void register(PsaKeys access) {
        psaKeys = access;
    }

    public static void register(AggregationKeys access) {
        aggregationKeys = access;
    }

    public static void register(BlindedKeys access) {
        blindedKeys = access;
    }

    public static void register(AgreementKeyPairs access) {
        agreementKeyPairs = access;
    }

    public static void register(ResidualMasks access) {
        residualMasks = access;
    }

    public static ResidualMasks residualMasks() {
        if (residualMasks == null) {
            initialize(ResidualMask.class);
        }
        return residualMasks;
    }

    public static PsaKeys psaKeys() {
        if (psaKeys == null) {
            initialize(PsaKey.class);
        }
        return psaKeys;
    }

    public static AggregationKeys aggregationKeys() {
        if (aggregationKeys == null) {
            initialize(AggregationKey.class);
        }
        return aggregationKeys;
    }

    public static BlindedKeys blindedKeys() {
        if (blindedKeys == null) {
            initialize(BlindedKey.class);
        }
        return blindedKeys;
    }

    public static AgreementKeyPairs agreementKeyPairs() {
        if (agreementKeyPairs == null) {
            initialize(AgreementKeyPair.class);
        }
        return agreementKeyPairs;
    }

    private static void initialize(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
