package org.psametering.protocol;

/**
 * Validation of group and meter ids. The alphabet excludes '/', '+', '#' and whitespace, so an id can be embedded
 * in a topic level without escaping and can never widen a subscription filter.
 *
 * <p>The rule is the regular expression {@code [A-Za-z0-9._-]{1,64}} (ASCII only), checked with a loop over the
 * characters rather than a {@link java.util.regex.Pattern}: an announcement of a 10 000-member group carries 10 000
 * ids that every meter checks, and the regex matcher cost more than the JSON parse of the whole list.
 */
public final class ProtocolIds {
    /** The longest valid id. */
    static final int MAX_LENGTH = 64;

    private ProtocolIds() {
    }

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!allowed(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                || c == '-';
    }

    /** Returns {@code id} or throws naming {@code what} (e.g. "group id") and the rule it breaks. */
    public static String require(String what, String id) {
        if (!isValid(id)) {
            throw new MalformedMessageException(what + " '" + id + "' is invalid: expected 1-64 characters of [A-Za-z0-9._-]");
        }
        return id;
    }
}
