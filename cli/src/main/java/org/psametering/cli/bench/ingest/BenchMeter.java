package org.psametering.cli.bench.ingest;

import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.protocol.MessageKey;

/**
 * One benchmark meter's keys for the epoch under test. Holds secrets: no toString beyond the id.
 *
 * @param messageKey set once the head-end's epoch key is known
 */
final class BenchMeter {
    final String id;
    final AgreementKeyPair agreementKey;
    PsaEncryptor encryptor;
    MessageKey messageKey;

    BenchMeter(String id, AgreementKeyPair agreementKey) {
        this.id = id;
        this.agreementKey = agreementKey;
    }

    @Override
    public String toString() {
        return "BenchMeter[" + id + "]";
    }
}
