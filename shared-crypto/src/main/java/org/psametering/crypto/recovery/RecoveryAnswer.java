package org.psametering.crypto.recovery;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.psametering.crypto.psa.PsaParameters;

/**
 * One reporting meter's answer to a recovery request: F(rho_i, t) in Z_p (value = high * 2^64 + low, low unsigned),
 * for label and the request named by requestDigest. Public (it goes to the head-end, MAC'd like a ciphertext).
 */
public record RecoveryAnswer(long label, byte[] requestDigest, long high, long low) {

    public RecoveryAnswer {
        Objects.requireNonNull(requestDigest, "requestDigest");
        if (requestDigest.length != RecoveryRequest.DIGEST_BYTES) {
            throw new IllegalArgumentException("request digest must be " + RecoveryRequest.DIGEST_BYTES
                    + " bytes, got " + requestDigest.length);
        }
        if (high < 0) {
            throw new IllegalArgumentException("answer value must be below 2^127 (high word negative)");
        }
        requestDigest = requestDigest.clone();
    }

    @Override
    public byte[] requestDigest() {
        return requestDigest.clone();
    }

    /** True when this answers exactly this request (label and digest). */
    public boolean answers(long requestLabel, byte[] digest) {
        return label == requestLabel && Arrays.equals(requestDigest, digest);
    }

    /** True when the value is an element of Z_p for p = 2^logP. */
    public boolean fitsIn(PsaParameters params) {
        return (high >>> (params.logP() - 64)) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecoveryAnswer a && label == a.label && high == a.high && low == a.low
                && Arrays.equals(requestDigest, a.requestDigest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, high, low) * 31 + Arrays.hashCode(requestDigest);
    }

    @Override
    public String toString() {
        return "RecoveryAnswer[label=" + label + ", request=" + HexFormat.of().formatHex(requestDigest, 0, 8) + "]";
    }
}
