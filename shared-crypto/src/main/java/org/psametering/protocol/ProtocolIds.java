package org.psametering.protocol;

import java.util.regex.Pattern;

/**
 * Validation of group and meter ids. The alphabet excludes '/', '+', '#' and whitespace, so an id can be embedded
 * in a topic level without escaping and can never widen a subscription filter.
 */
public final class ProtocolIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ProtocolIds() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns {@code id} or throws naming {@code what} (e.g. "group id") and the rule it breaks. */
    public static String require(String what, String id) {
        if (!isValid(id)) {
            throw new MalformedMessageException(what + " '" + id + "' is invalid: expected 1-64 characters of [A-Za-z0-9._-]");
        }
        return id;
    }
}
