package org.psametering.hardware.energy;

/**
 * RMS of the AC part of a stream of signed 16-bit ADC samples.
 *
 * <p>The mean is removed because a CT biased at VDD/2 and read single-ended carries a DC offset that is not current.
 * Sums are kept exactly in longs (|sample| <= 2^15, so even a minute at 860 samples/s cannot overflow), which avoids
 * the cancellation a floating-point "mean of squares minus square of mean" suffers with a large offset.
 * Not thread-safe: owned by the sampling thread.
 */
public final class RmsAccumulator {

    /** 2^31 samples of 2^30 squared would overflow; far above any window this is used for. */
    private static final int MAX_SAMPLES = 1 << 22;

    private long count;
    private long sum;
    private long sumOfSquares;

    public void add(short sample) {
        if (count == MAX_SAMPLES) {
            throw new IllegalStateException("window exceeds " + MAX_SAMPLES + " samples; reset() between windows");
        }
        count++;
        sum += sample;
        sumOfSquares += (long) sample * sample;
    }

    public long count() {
        return count;
    }

    /** RMS in ADC counts with the DC offset removed; 0 for an empty window. */
    public double acRmsCounts() {
        if (count == 0) {
            return 0;
        }
        double mean = (double) sum / count;
        double variance = (double) sumOfSquares / count - mean * mean;
        return Math.sqrt(Math.max(0, variance));
    }

    public void reset() {
        count = 0;
        sum = 0;
        sumOfSquares = 0;
    }
}
