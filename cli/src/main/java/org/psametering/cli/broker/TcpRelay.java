package org.psametering.cli.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A localhost TCP relay in front of the broker for one client, so a test can cut just that client's network (its
 * connections are dropped and new ones refused) and restore it later, and the ingest benchmark can hold a client's
 * traffic (nothing is forwarded, nothing is lost) while messages queue up at the broker.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean held;
    private volatile boolean closed;

    public TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "relay-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Drops every relayed connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    /** Stops forwarding in both directions; connections stay open and bytes wait in the socket buffers and the broker. */
    public void hold() {
        held = true;
    }

    public void release() {
        held = false;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException brokerDown) {
                    // refuse as the broker itself would; left open, the client would wait out its whole connect timeout
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while (true) {
                    while (held && !from.isClosed()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                    n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    // a read already waiting when hold() came must not slip through: its bytes wait too
                    while (held && !from.isClosed()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection cut: the peer sees it closed, as with a real network failure
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        held = false;
        closed = true;
        cut();
        server.close();
    }
}
