package org.psametering.cli.compare;

/**
 * The baby-step giant-step part of DMCFE decryption, which is what makes it grow with the bound.
 *
 * @param bound               N * maxValue, the largest sum the table covers
 * @param babySteps           table entries (about sqrt(bound))
 * @param tableBytes          memory of the fingerprint table
 * @param tableBuildMs        one-off time to build it
 * @param maxGiantSteps       giant steps the largest sum needs
 * @param pairingPerLabelMs   the pairing half of a decryption (independent of the bound)
 * @param logPerLabelMs       the discrete-log half (grows with sqrt(bound))
 * @param giantStepMicros     measured cost of one giant step, for projecting other bounds
 */
public record DiscreteLogFigures(
        long bound,
        int babySteps,
        long tableBytes,
        double tableBuildMs,
        long maxGiantSteps,
        double pairingPerLabelMs,
        double logPerLabelMs,
        double giantStepMicros) {

    /** Projected worst-case time of table build plus one decryption's discrete log at another bound. */
    public double projectedWorstCaseMs(long otherBound) {
        double steps = Math.sqrt((double) otherBound + 1);
        return 2 * steps * giantStepMicros / 1000.0;
    }
}
