package org.psametering.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a broker URL says about transport security. Plain {@code tcp://} is for a broker on the same machine (the
 * local demo); anywhere else it exposes who talks when, the protocol's metadata and the broker password, and lets
 * anyone on the path impersonate the broker. Both the meter and the head-end log {@link #plainTextWarning} at start.
 */
public final class BrokerUrls {

    private BrokerUrls() {}

    /** Whether the URL uses TLS ({@code ssl://} or {@code wss://}). */
    public static boolean isTls(String url) {
        String scheme = scheme(url);
        return scheme.equals("ssl") || scheme.equals("wss");
    }

    /**
     * Whether the URL names this machine: {@code localhost}, an address in 127.0.0.0/8 or {@code ::1}. Decided from the
     * text alone (no DNS lookup), so a name that merely resolves to a loopback address does not count.
     */
    public static boolean isLoopback(String url) {
        String host = host(url).toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    /** A warning to log when the URL sends MQTT unencrypted to another machine; empty when it does not. */
    public static Optional<String> plainTextWarning(String url) {
        if (isTls(url) || isLoopback(url)) {
            return Optional.empty();
        }
        return Optional.of("MQTT broker " + url + " is reached without TLS: anyone on the network path can read the"
                + " protocol's metadata and credentials and pose as the broker. Plain tcp:// is meant for a broker on"
                + " this machine; use ssl://host:8883 with mqtt.tls (README, \"TLS for MQTT and the HTTP API\")");
    }

    private static String scheme(String url) {
        try {
            String scheme = new URI(url).getScheme();
            return scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return "";
        }
    }

    private static String host(String url) {
        try {
            String host = new URI(url).getHost();
            return host == null ? "" : host;
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
