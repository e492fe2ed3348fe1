package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSafeTest {
    @Test
    void shortTextIsUnchanged() {
        assertEquals("psa/v1/feeder-1/0/ct/meter-001", LogSafe.text("psa/v1/feeder-1/0/ct/meter-001"));
        assertEquals("null", LogSafe.text(null));
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        String huge = "psa/v1/g/0/ct/" + "x".repeat(60_000);
        String logged = LogSafe.text(huge);
        assertTrue(logged.startsWith(huge.substring(0, LogSafe.MAX_CHARS)), logged);
        assertTrue(logged.endsWith("…(" + huge.length() + " chars)"), logged);
        assertEquals(LogSafe.MAX_CHARS + ("…(" + huge.length() + " chars)").length(), logged.length());
    }

    @Test
    void controlCharactersCannotForgeLogLines() {
        assertEquals("a?INFO fake", LogSafe.text("a\nINFO fake"));
    }
}
