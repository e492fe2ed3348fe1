package org.psametering.crypto.dmcfe;

import java.math.BigInteger;
import java.util.Objects;
import org.psametering.crypto.dmcfe.internal.DomainHashes;
import org.psametering.crypto.dmcfe.pairing.G1Element;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * Encrypts one client's readings, one per label. Labels must strictly increase: two ciphertexts under one label
 * would reveal the difference of the readings to anyone holding the functional key. Thread-safe.
 */
public final class DmcfeEncryptor {

    private final DmcfeClientSecret secret;
    private final PairingGroup curve;
    private long lastUsedLabel;

    /** @param lastUsedLabel the last label this client encrypted under, or Long.MIN_VALUE when none */
    public DmcfeEncryptor(DmcfeClientSecret secret, long lastUsedLabel) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.curve = secret.group().curve();
        this.lastUsedLabel = lastUsedLabel;
    }

    public synchronized DmcfeCiphertext encrypt(long label, long reading) {
        DmcfeGroup group = secret.group();
        if (reading < 0 || reading > group.maxReading()) {
            throw new IllegalArgumentException("reading " + reading + " outside [0, " + group.maxReading()
                    + "] of DMCFE group " + group.groupId());
        }
        if (label <= lastUsedLabel) {
            throw new IllegalArgumentException("label " + label + " not after the last used label " + lastUsedLabel
                    + ": DMCFE labels must not be reused");
        }
        G1Element[] u = DomainHashes.labelPoints(curve, group.groupId(), label);
        G1Element c = curve.g1Generator().multiply(BigInteger.valueOf(reading))
                .add(u[0].multiply(secret.s(0)))
                .add(u[1].multiply(secret.s(1)));
        lastUsedLabel = label;
        return new DmcfeCiphertext(secret.index(), label, c);
    }

    public synchronized long lastUsedLabel() {
        return lastUsedLabel;
    }
}
