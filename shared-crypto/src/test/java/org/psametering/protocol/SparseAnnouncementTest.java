package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.psametering.crypto.keysetup.GraphSpec;

/** The optional maskGraph field of the announcement (shared-crypto README section 13, docs/protocol.md). */
class SparseAnnouncementTest {

    private static final byte[] HEAD_END_KEY = new byte[34];

    private static GroupAnnouncement sparse() {
        byte[] seed = new byte[32];
        seed[0] = 7;
        return new GroupAnnouncement("g1", 3, "lwr-3072-q128-p85", 60, List.of("m-a", "m-b", "m-c"), HEAD_END_KEY,
                GroupPhase.KEY_SETUP, OptionalLong.empty(), Optional.of(new GraphSpec(seed, -2L)));
    }

    @Test
    void sparseGraphSurvivesTheJsonRoundTripAndActivation() {
        GroupAnnouncement a = sparse();
        GroupAnnouncement back = GroupAnnouncement.fromJson(a.toJson());
        assertEquals(a, back);
        assertEquals(Long.toUnsignedString(-2L), Long.toUnsignedString(back.maskGraph().orElseThrow().threshold()));
        assertTrue(back.activate(9).sparse());
    }

    @Test
    void anAnnouncementWithoutTheFieldIsTheCompleteGraph() {
        GroupAnnouncement complete = new GroupAnnouncement("g1", 3, "lwr-3072-q128-p85", 60, List.of("m-a", "m-b"),
                HEAD_END_KEY, GroupPhase.KEY_SETUP, OptionalLong.empty());
        String json = new String(complete.toJson(), StandardCharsets.UTF_8);
        assertFalse(json.contains("maskGraph"), json);
        assertFalse(GroupAnnouncement.fromJson(complete.toJson()).sparse());
    }

    @Test
    void malformedGraphFieldsAreRejectedByName() {
        String good = new String(sparse().toJson(), StandardCharsets.UTF_8);
        String threshold = Long.toUnsignedString(-2L);
        for (String bad : List.of(
                good.replace("\"kind\":\"sparse\"", "\"kind\":\"complete\""),
                good.replace("\"kind\":\"sparse\"", "\"kind\":\"sparse\",\"extra\":1"),
                good.replace("\"" + threshold + "\"", "\"-1\""),
                good.replace("\"" + threshold + "\"", "\"18446744073709551616\""),
                good.replace("\"" + threshold + "\"", "\"0\""),
                good.replace("\"" + threshold + "\"", "12"),
                good.replaceAll("\"seed\":\"[^\"]*\"", "\"seed\":\"AAAA\""))) {
            assertTrue(!bad.equals(good), "replacement did not apply");
            MalformedMessageException e = assertThrows(MalformedMessageException.class,
                    () -> GroupAnnouncement.fromJson(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(e.getMessage().contains("maskGraph"), e.getMessage());
        }
    }
}
