package org.psametering.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpRelayTest {
    /**
     * While the broker is down (killed, restarting) a client connecting through the relay must see its connection
     * closed, as it would connecting to the broker directly; a connection left open makes MQTT clients wait for their
     * whole connect timeout (30 s for meters) before they retry.
     */
    @Test
    void aConnectionIsClosedWhenTheTargetIsDown() throws IOException {
        int nobodyListens = FreePort.pick();
        try (TcpRelay relay = new TcpRelay(nobodyListens);
             Socket client = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(relay.url().replaceAll(".*:", "")))) {
            client.setSoTimeout(10_000); // an upper bound for a slow machine: a hanging relay fails with a timeout
            assertEquals(-1, client.getInputStream().read(), "the relay closes the connection it cannot forward");
        }
    }
}
