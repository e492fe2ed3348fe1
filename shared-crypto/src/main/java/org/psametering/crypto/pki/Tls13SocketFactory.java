package org.psametering.crypto.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factory of a {@link TlsContexts} context with every socket limited to TLS 1.3 (a JSSE context named
 * "TLSv1.3" would still offer 1.2 to a server that asks for it). It opens nothing by itself; the MQTT client calls it.
 */
final class Tls13SocketFactory extends SSLSocketFactory {
    private static final String[] PROTOCOLS = {TlsContexts.PROTOCOL};
    private final SSLSocketFactory delegate;

    Tls13SocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    private static Socket limited(Socket socket) {
        if (socket instanceof SSLSocket tls) {
            tls.setEnabledProtocols(PROTOCOLS);
        }
        return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return limited(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return limited(delegate.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return limited(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return limited(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return limited(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return limited(delegate.createSocket(address, port, localAddress, localPort));
    }
}
