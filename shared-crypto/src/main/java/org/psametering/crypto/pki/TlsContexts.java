package org.psametering.crypto.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * JSSE contexts for the system's TLS links, built from the PKI's objects (no files: callers read the PEM files).
 *
 * <p>The TLS identity is the party's Ed25519 identity certificate itself (RFC 8446 signature scheme ed25519, which JDK
 * 15+ and OpenSSL 1.1.1+/Mosquitto support): one key and one certificate per device, and the broker's
 * {@code use_identity_as_username} sees the same CN the protocol signs with. Only TLS 1.3 is offered: its
 * CertificateVerify signs the transcript behind a fixed 64-space prefix and context string, so a TLS signature can
 * never be mistaken for a protocol signature made with the same key (TLS 1.2 would sign unprefixed data).
 *
 * <p>Peers are trusted only if the provisioning CA issued them directly ({@link #trustManager}); with a CRL, a revoked
 * peer or a CRL past its nextUpdate fails the handshake (fail-closed, as {@link CertificateVerifier}). A client also
 * insists that the server's certificate has the role it expects (a meter talks only to a {@link Role#BROKER}), so a
 * head-end certificate, which is a TLS server certificate for the HTTP API, cannot stand in for the broker.
 */
public final class TlsContexts {

    /** The only TLS version used. */
    public static final String PROTOCOL = "TLSv1.3";
    private static final char[] IN_MEMORY = "in-memory".toCharArray(); // keystore never leaves this process

    private TlsContexts() {}

    /**
     * A client context for mutual TLS: presents {@code ownCertificate}, trusts only servers issued by {@code anchor}
     * with role {@code serverRole} (and not revoked, if a CRL is given).
     *
     * @throws IllegalArgumentException if the key does not belong to the certificate
     */
    public static SSLContext client(X509Certificate anchor, X509Certificate ownCertificate, PrivateKey ownKey,
            Optional<X509CRL> crl, Role serverRole) {
        return context(Optional.of(new Identity(ownCertificate, ownKey)), trustManager(anchor, crl, Optional.of(serverRole)));
    }

    /**
     * As {@link #client(X509Certificate, X509Certificate, PrivateKey, Optional, Role)}, but the CRL is asked of
     * {@code crlSource} at every handshake, so a CRL replaced while the process runs (a broker revoked after the start)
     * counts from the next connect on, without a restart. The PKIX checker is rebuilt only when the source returns
     * another CRL object; the source decides how often it looks at its file (e.g. a {@code CrlFileTrust}).
     */
    public static SSLContext client(X509Certificate anchor, X509Certificate ownCertificate, PrivateKey ownKey,
            java.util.function.Supplier<Optional<X509CRL>> crlSource, Role serverRole) {
        return context(Optional.of(new Identity(ownCertificate, ownKey)),
                new CrlFollowingTrustManager(anchor, crlSource, serverRole));
    }

    /** A client that presents no certificate (only for tests that show the broker refuses it). */
    public static SSLContext clientWithoutCertificate(X509Certificate anchor, Role serverRole) {
        return context(Optional.empty(), trustManager(anchor, Optional.empty(), Optional.of(serverRole)));
    }

    /** A server context presenting {@code ownCertificate}; it asks for no client certificate (the HTTP API). */
    public static SSLContext server(X509Certificate ownCertificate, PrivateKey ownKey) {
        return context(Optional.of(new Identity(ownCertificate, ownKey)), null);
    }

    /** The context's socket factory, every socket limited to TLS 1.3 (what the MQTT clients are given). */
    public static javax.net.ssl.SSLSocketFactory socketFactory(SSLContext context) {
        return new Tls13SocketFactory(context.getSocketFactory());
    }

    /** Throws {@link IllegalArgumentException} unless {@code key} is the private key of {@code certificate}. */
    public static void checkKeyMatches(X509Certificate certificate, PrivateKey key) {
        byte[] probe = "psa-metering key/certificate match probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(IdentityKeys.ALGORITHM);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(IdentityKeys.ALGORITHM);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the private key is not an Ed25519 key for the certificate of "
                    + certificate.getSubjectX500Principal().getName() + ": " + e.getMessage());
        }
        throw new IllegalArgumentException("the private key does not belong to the certificate of "
                + certificate.getSubjectX500Principal().getName());
    }

    private record Identity(X509Certificate certificate, PrivateKey key) {}

    private static SSLContext context(Optional<Identity> identity, TrustManager trust) {
        try {
            javax.net.ssl.KeyManager[] keyManagers = null;
            if (identity.isPresent()) {
                checkKeyMatches(identity.get().certificate(), identity.get().key());
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("identity", identity.get().key(), IN_MEMORY,
                        new Certificate[] {identity.get().certificate()});
                KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
                factory.init(store, IN_MEMORY);
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers, trust == null ? null : new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * PKIX trust in exactly one anchor; with a CRL, revocation is checked against it only (no OCSP, no fetching).
     * With {@code peerRole}, the peer's end-entity certificate must also carry that role's OID.
     */
    static X509ExtendedTrustManager trustManager(X509Certificate anchor, Optional<X509CRL> crl, Optional<Role> peerRole) {
        try {
            if (crl.isPresent()) {
                new CertificateVerifier(anchor, crl); // the CRL must be the anchor's: a clear error here, not at a handshake
            }
            PKIXBuilderParameters parameters =
                    new PKIXBuilderParameters(Set.of(new TrustAnchor(anchor, null)), new X509CertSelector());
            if (crl.isPresent()) {
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl.get()))));
                PKIXRevocationChecker checker =
                        (PKIXRevocationChecker) java.security.cert.CertPathValidator.getInstance("PKIX").getRevocationChecker();
                checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK));
                parameters.addCertPathChecker(checker);
                parameters.setRevocationEnabled(true);
            } else {
                parameters.setRevocationEnabled(false);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(parameters));
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager pkix) {
                    return peerRole.isPresent() ? new RoleCheckingTrustManager(pkix, peerRole.get()) : pkix;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory gave no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS trust manager: " + e.getMessage(), e);
        }
    }

    /** PKIX, then: the peer's certificate names {@code role} in its extended key usage. */
    private static final class RoleCheckingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;
        private final Role role;

        RoleCheckingTrustManager(X509ExtendedTrustManager pkix, Role role) {
            this.pkix = pkix;
            this.role = role;
        }

        private void checkRole(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !CertificateVerifier.role(chain[0]).equals(Optional.of(role))) {
                throw new CertificateException("the peer's certificate is not a " + role + " certificate of this PKI");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
            checkRole(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                throws CertificateException {
            pkix.checkServerTrusted(chain, authType, socket);
            checkRole(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
            checkRole(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkServerTrusted(chain, authType, engine);
            checkRole(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
            checkRole(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
            checkRole(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }

    /** The role-checking PKIX trust manager of the CRL its source returns now (rebuilt when that CRL changes). */
    private static final class CrlFollowingTrustManager extends X509ExtendedTrustManager {
        private final X509Certificate anchor;
        private final java.util.function.Supplier<Optional<X509CRL>> source;
        private final Role role;
        private Optional<X509CRL> crl; // guarded by this
        private X509ExtendedTrustManager current; // guarded by this

        CrlFollowingTrustManager(X509Certificate anchor, java.util.function.Supplier<Optional<X509CRL>> source, Role role) {
            this.anchor = anchor;
            this.source = source;
            this.role = role;
            this.crl = source.get();
            this.current = trustManager(anchor, crl, Optional.of(role));
        }

        private synchronized X509ExtendedTrustManager now() {
            Optional<X509CRL> latest = source.get();
            if (latest.orElse(null) != crl.orElse(null)) {
                current = trustManager(anchor, latest, Optional.of(role));
                crl = latest;
            }
            return current;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                throws CertificateException {
            now().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
                throws CertificateException {
            now().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            now().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            now().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            now().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            now().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {anchor};
        }
    }
}
