package org.psametering.crypto.psa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.DeterministicRandom;
import org.psametering.crypto.TestGroups;

/** A missing, extra or foreign ciphertext must be an error, never a plausible wrong number. */
class PsaAggregatorTest {

    private final GroupContext group = new GroupContext("g-agg", 1, 4, PsaParameters.KHPRF_2021);
    private List<Ciphertext> cts;
    private PsaAggregator aggregator;
    private List<PsaEncryptor> encryptors;

    @BeforeEach
    void encryptOneRound() {
        DeterministicRandom random = new DeterministicRandom("aggregator");
        List<PsaKey> keys = new ArrayList<>();
        for (int i = 0; i < group.groupSize(); i++) {
            keys.add(PsaKey.generate(group.params(), random));
        }
        encryptors = keys.stream().map(k -> new PsaEncryptor(k, group, Long.MIN_VALUE)).toList();
        aggregator = new PsaAggregator(TestGroups.sumOfKeys(group, keys), group);
        cts = new ArrayList<>();
        for (int i = 0; i < encryptors.size(); i++) {
            cts.add(encryptors.get(i).encrypt(100, 10 + i));
        }
    }

    @Test
    void sumsOneRound() {
        assertEquals(10 + 11 + 12 + 13, aggregator.aggregate(100, cts));
    }

    @Test
    void missingCiphertextIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aggregator.aggregate(100, cts.subList(0, 3)));
        assertTrue(e.getMessage().contains("exactly 4") && e.getMessage().contains("got 3"), e.getMessage());
    }

    @Test
    void extraCiphertextIsAnError() {
        List<Ciphertext> five = new ArrayList<>(cts);
        five.add(cts.get(0));
        assertThrows(IllegalArgumentException.class, () -> aggregator.aggregate(100, five));
    }

    @Test
    void ciphertextOfAnotherLabelIsAnError() {
        List<Ciphertext> mixed = new ArrayList<>(cts);
        mixed.set(2, encryptors.get(2).encrypt(101, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aggregator.aggregate(100, mixed));
        assertTrue(e.getMessage().contains("ciphertext 2 has label 101"), e.getMessage());
    }

    @Test
    void valueOutsideZpIsAnError() {
        List<Ciphertext> bad = new ArrayList<>(cts);
        bad.set(0, new Ciphertext(100, 1L << 21, 0));
        assertThrows(IllegalArgumentException.class, () -> aggregator.aggregate(100, bad));
    }

    @Test
    void aggregationKeyMustMatchTheGroupsParameterSet() {
        AggregationKey k = TestGroups.sumOfKeys(group, List.of());
        GroupContext other = new GroupContext("g-agg", 1, 4, PsaParameters.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> new PsaAggregator(k, other));
    }
}
