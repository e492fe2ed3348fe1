package org.psametering.crypto.psa;

/**
 * One meter's encrypted reading for time-step label: a value in Z_p, p = 2^logP, held as a 128-bit number
 * high * 2^64 + low (low read unsigned). Ciphertexts are public; the range against p is checked where the parameter
 * set is known (aggregation, wire decoding).
 */
public record Ciphertext(long label, long high, long low) {

    public Ciphertext {
        if (high < 0) {
            throw new IllegalArgumentException("ciphertext value must be below 2^127 (high word negative)");
        }
    }

    /** True when the value is an element of Z_p for p = 2^logP. */
    public boolean fitsIn(PsaParameters params) {
        return (high >>> (params.logP() - 64)) == 0;
    }
}
