package org.psametering.meter;

/**
 * Steps a meter deliberately leaves unreported, as if its ciphertext had been lost on the way: a seam for simulations
 * ({@code ./psa demo --drop-rate}, {@code ./psa simulate --drop-rate}) that need meters missing from single steps while
 * they keep running. A skipped step is not encrypted (its label is not used) and nothing is queued; the meter stays a
 * member and, listed as missing in the step's recovery request, refuses to answer it. A real meter uses {@link #NONE}.
 * Called on meter worker threads: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface StepSkips {

    /** Whether meter {@code meterId} leaves step {@code label} unreported. */
    boolean skips(String meterId, long label);

    /** Every step is reported. */
    StepSkips NONE = (meterId, label) -> false;
}
