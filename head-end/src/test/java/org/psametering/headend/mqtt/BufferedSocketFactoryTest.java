package org.psametering.headend.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {

    @Test
    void readsEveryByteInOrderThroughTheBuffer() throws Exception {
        // more than the buffer, written in odd-sized pieces, read back in small pieces like Paho's packet reader
        byte[] sent = new byte[3 * BufferedSocketFactory.BUFFER_BYTES + 12_345];
        new SplittableRandom(7).nextBytes(sent);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                    for (int off = 0; off < sent.length; off += 1_000) {
                        out.write(sent, off, Math.min(1_000, sent.length - off));
                        out.flush();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket socket = new BufferedSocketFactory().createSocket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5_000);
            try (socket) {
                InputStream in = socket.getInputStream();
                assertInstanceOf(BufferedInputStream.class, in);
                assertSame(in, socket.getInputStream(), "one stream per connection, or buffered bytes would be lost");
                byte[] received = new byte[sent.length];
                DataInputStream data = new DataInputStream(in);
                int off = 0;
                while (off < received.length) {
                    int len = Math.min(off % 3 + 1, received.length - off);
                    data.readFully(received, off, len);
                    off += len;
                }
                assertArrayEquals(sent, received);
                assertEquals(-1, in.read(), "end of stream after the peer closed");
            }
            writer.join(5_000);
        }
    }

    @Test
    void connectingFactoryMethodsReturnConnectedBufferedSockets() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = new BufferedSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertEquals(server.getLocalPort(), socket.getPort());
            assertInstanceOf(BufferedInputStream.class, socket.getInputStream());
        }
    }
}
