package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The recovery topics parse to their kinds; the recovery result statuses carry exactly what they must. */
class RecoveryTopicsAndResultsTest {

    @Test
    void recoveryTopicsRoundTripThroughTheParser() {
        Topic request = Topics.parse(Topics.recovery("g", 4));
        assertEquals(TopicKind.RECOVERY, request.kind());
        assertEquals(4, request.epoch());
        Topic answer = Topics.parse(Topics.recoveryAnswer("g", 4, "m7"));
        assertEquals(TopicKind.RECOVERY_ANSWER, answer.kind());
        assertEquals("m7", answer.meterId());
        assertThrows(MalformedMessageException.class, () -> Topics.parse("psa/v1/g/4/answers/m7"));
    }

    @Test
    void recoveredAndRecoveringResultsRoundTripAndAreChecked() {
        ResultMessage recovered = new ResultMessage("g", 1, 10, ResultStatus.RECOVERED, OptionalLong.of(99), List.of("m2", "m5"));
        assertEquals(recovered, ResultMessage.fromJson(recovered.toJson()));
        ResultMessage recovering = new ResultMessage("g", 1, 10, ResultStatus.RECOVERING, OptionalLong.empty(), List.of("m2"));
        assertEquals(recovering, ResultMessage.fromJson(recovering.toJson()));
        ResultMessage unanswered = new ResultMessage("g", 1, 10, ResultStatus.INCOMPLETE, OptionalLong.empty(), List.of("m2"),
                Optional.of(ResultReason.RECOVERY_UNANSWERED));
        assertEquals(unanswered, ResultMessage.fromJson(unanswered.toJson()));

        assertThrows(MalformedMessageException.class,
                () -> new ResultMessage("g", 1, 10, ResultStatus.RECOVERED, OptionalLong.empty(), List.of("m2")), "no sum");
        assertThrows(MalformedMessageException.class,
                () -> new ResultMessage("g", 1, 10, ResultStatus.RECOVERED, OptionalLong.of(5), List.of()), "nobody missing");
        assertThrows(MalformedMessageException.class,
                () -> new ResultMessage("g", 1, 10, ResultStatus.RECOVERING, OptionalLong.of(5), List.of("m2")), "a sum too early");
        assertThrows(MalformedMessageException.class,
                () -> new ResultMessage("g", 1, 10, ResultStatus.RECOVERED, OptionalLong.of(5), List.of("m5", "m2")), "unsorted");
    }
}
