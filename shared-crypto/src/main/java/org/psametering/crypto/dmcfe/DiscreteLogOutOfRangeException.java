package org.psametering.crypto.dmcfe;

/**
 * The decrypted exponent is not in [0, bound]: the sum exceeds the bound the table was built for, or the
 * ciphertexts, label and functional key do not belong together. Never a wrong number, always this error.
 */
public final class DiscreteLogOutOfRangeException extends RuntimeException {

    private final long bound;

    public DiscreteLogOutOfRangeException(long bound) {
        super("no discrete logarithm in [0, " + bound + "]: the sum exceeds the bound the discrete-log table was built"
                + " for (clients x max reading), or the ciphertexts, label and functional key do not belong together");
        this.bound = bound;
    }

    public long bound() {
        return bound;
    }
}
