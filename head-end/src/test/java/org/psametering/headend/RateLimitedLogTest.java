package org.psametering.headend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.psametering.headend.core.RejectReason;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class RateLimitedLogTest {
    /** A logger that keeps each formatted warn line. */
    private static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[]{Logger.class}, (proxy, method, args) -> {
            if (method.getName().equals("warn") && args != null && args.length >= 1 && args[0] instanceof String format) {
                Object[] rest = args.length == 2 && args[1] instanceof Object[] array ? array
                        : java.util.Arrays.copyOfRange(args, 1, args.length);
                lines.add(MessageFormatter.arrayFormat(format, rest).getMessage());
            }
            return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
    }

    /** Issue 8 defect 7: a 60 KB attacker-chosen topic costs one short log line, not 60 KB. */
    @Test
    void attackerChosenTextIsCutInTheLog() {
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(recording(lines), 1_000_000_000L);
        String topic = "psa/v1/" + "x".repeat(60_000);
        log.rejected(RejectReason.MALFORMED, "topic '" + topic + "' is not a psa/v1 topic");
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).length() < 400, "line of " + lines.get(0).length() + " characters");
        assertTrue(lines.get(0).contains("chars)"), "says it was cut: " + lines.get(0));
    }
}
