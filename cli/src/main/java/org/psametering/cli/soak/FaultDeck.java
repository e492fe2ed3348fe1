package org.psametering.cli.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Deals fault kinds in seeded random order, every kind once per round: a short run still meets each kind, a long one
 * meets them evenly, and the same seed gives the same sequence.
 */
final class FaultDeck {
    private final Random random;
    private final List<FaultKind> round = new ArrayList<>();

    FaultDeck(Random random) {
        this.random = random;
    }

    FaultKind next() {
        if (round.isEmpty()) {
            round.addAll(Arrays.asList(FaultKind.values()));
            Collections.shuffle(round, random);
        }
        return round.remove(round.size() - 1);
    }
}
