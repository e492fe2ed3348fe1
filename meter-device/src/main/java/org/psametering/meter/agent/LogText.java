package org.psametering.meter.agent;

/** Text from outside (topics, ids, parser messages) cut to a length that cannot flood a log. */
final class LogText {

    static final int MAX = 96;

    private LogText() {
    }

    static String cut(String text) {
        if (text == null || text.length() <= MAX) {
            return text;
        }
        return text.substring(0, MAX) + "...(" + text.length() + " chars)";
    }
}
