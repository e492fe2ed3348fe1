package org.psametering.protocol;

/**
 * Makes text that came from outside (topics, ids, reason strings) safe to log: an attacker chooses those, so they are
 * cut to {@link #MAX_CHARS} characters (a topic of 60 KB must not become a 60 KB log line) and control characters are
 * replaced (no forged log lines through an embedded newline).
 */
public final class LogSafe {
    /** Legitimate ids are at most 64 characters; a topic holds two of them plus a few short segments. */
    public static final int MAX_CHARS = 160;

    private LogSafe() {
    }

    /** The text, at most {@link #MAX_CHARS} characters plus "…(N chars)" when cut; "null" for null. */
    public static String text(String value) {
        if (value == null) {
            return "null";
        }
        boolean cut = value.length() > MAX_CHARS;
        String head = cut ? value.substring(0, MAX_CHARS) : value;
        StringBuilder out = new StringBuilder(head.length() + 16);
        head.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (cut) {
            out.append("…(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
