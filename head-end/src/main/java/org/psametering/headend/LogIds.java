package org.psametering.headend;

/**
 * Shortens attacker-chosen text (topics, ids, parser messages quoting them) before it reaches the log: a 60 KB topic
 * must cost one short line, not 60 KB per rejection.
 */
final class LogIds {
    static final int MAX = 160;

    private LogIds() {
    }

    static String id(String text) {
        if (text == null || text.length() <= MAX) {
            return text;
        }
        return text.substring(0, MAX) + "…(" + text.length() + " chars)";
    }
}
