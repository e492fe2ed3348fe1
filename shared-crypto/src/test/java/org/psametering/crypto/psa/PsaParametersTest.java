package org.psametering.crypto.psa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PsaParametersTest {

    @Test
    void publishedSetIsExactlyThePaperAndBelowTarget() {
        PsaParameters k = PsaParameters.byName("khprf-2021");
        assertEquals(2096, k.n());
        assertEquals(128, k.logQ());
        assertEquals(85, k.logP());
        assertFalse(k.meetsSecurityTarget());
    }

    @Test
    void defaultMeetsTheTarget() {
        assertTrue(PsaParameters.DEFAULT.meetsSecurityTarget());
        assertEquals(PsaParameters.DEFAULT, PsaParameters.all().get(0));
        assertEquals(PsaParameters.DEFAULT, PsaParameters.byId(PsaParameters.DEFAULT.id()));
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PsaParameters.byName("x"));
        assertTrue(e.getMessage().contains("khprf-2021") && e.getMessage().contains(PsaParameters.DEFAULT.name()));
    }

    @Test
    void groupContextValidatesItsFields() {
        PsaParameters p = PsaParameters.DEFAULT;
        assertThrows(IllegalArgumentException.class, () -> new GroupContext("bad id", 0, 3, p));
        assertThrows(IllegalArgumentException.class, () -> new GroupContext("", 0, 3, p));
        assertThrows(IllegalArgumentException.class, () -> new GroupContext("g".repeat(65), 0, 3, p));
        assertThrows(IllegalArgumentException.class, () -> new GroupContext("g", -1, 3, p));
        assertThrows(IllegalArgumentException.class, () -> new GroupContext("g", 0, 0, p));
    }
}
