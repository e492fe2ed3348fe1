package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The character loop of {@link ProtocolIds} accepts exactly what the documented regular expression accepts. */
class ProtocolIdsTest {

    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Test
    void agreesWithTheRegularExpressionOnEdgeCases() {
        List<String> cases = new ArrayList<>(List.of("", "a", "meter-000001", "A.b_c-9", "a/b", "a+b", "a#", "a b",
                " a", "a\n", "\u0661", "é", "Ａ", "\uD83D\uDE00", "a".repeat(64), "a".repeat(65), "..", "-", "_",
                "a\u0000", "[", "`", "{", "@", ":", "/"));
        for (char c = 0; c < 256; c++) {
            cases.add(String.valueOf(c));
            cases.add("x" + c + "y");
        }
        for (String id : cases) {
            assertEquals(RULE.matcher(id).matches(), ProtocolIds.isValid(id), "'" + id + "'");
        }
        assertFalse(ProtocolIds.isValid(null));
    }

    @Test
    void agreesWithTheRegularExpressionOnRandomStrings() {
        Random random = new Random(12);
        String alphabet = "abzAZ09._-/+# \u00e9\u0661\uD83D";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(70);
            for (int i = 0; i < length; i++) {
                id.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : (char) ('a' + random.nextInt(26)));
            }
            assertEquals(RULE.matcher(id).matches(), ProtocolIds.isValid(id.toString()), "'" + id + "'");
        }
    }
}
