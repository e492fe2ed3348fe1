package org.psametering.meter.store;

import java.util.Objects;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaKey;

/** The meter's secrets for one epoch: its PSA key and its X25519 key pair. Never printed. */
public record EpochKeys(PsaKey psaKey, AgreementKeyPair agreementKey) {

    public EpochKeys {
        Objects.requireNonNull(psaKey, "psaKey");
        Objects.requireNonNull(agreementKey, "agreementKey");
    }

    @Override
    public String toString() {
        return "EpochKeys[secret]";
    }
}
