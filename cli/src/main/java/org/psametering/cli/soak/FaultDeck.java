package org.psametering.cli.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deals fault kinds in seeded random order, every kind once per round: a short run still meets each kind, a long one
 * meets them evenly, and the same seed gives the same sequence.
 */
final class FaultDeck {
    private final Random random;
    private final List<FaultKind> kinds;
    private final List<FaultKind> round = new ArrayList<>();

    FaultDeck(Random random, Set<FaultKind> kinds) {
        this.random = random;
        this.kinds = new ArrayList<>(new TreeSet<>(kinds)); // enum order, so the seed alone decides the sequence
    }

    FaultKind next() {
        if (round.isEmpty()) {
            round.addAll(kinds);
            Collections.shuffle(round, random);
        }
        return round.remove(round.size() - 1);
    }
}
