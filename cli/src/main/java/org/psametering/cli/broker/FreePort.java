package org.psametering.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a currently unused localhost TCP port, so parallel runs and CI jobs never collide on 1883. */
public final class FreePort {
    private FreePort() {
    }

    /** A port that was free a moment ago; a tiny race with other processes remains, which brokers report clearly. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free localhost port", e);
        }
    }
}
