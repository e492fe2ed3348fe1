package org.psametering.cli.pki;

/** Checks shared by the pki commands' options. */
final class Options {
    private Options() {}

    static int positive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        }
        return value;
    }
}
