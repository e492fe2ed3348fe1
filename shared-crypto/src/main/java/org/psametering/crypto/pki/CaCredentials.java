package org.psametering.crypto.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The provisioning CA: its self-signed certificate (the trust anchor meters and the head-end are given) and its signing
 * key (SECRET: whoever holds it can make meters). {@link #toString()} never prints the key.
 */
public record CaCredentials(X509Certificate certificate, PrivateKey key) {

    public CaCredentials {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return "CaCredentials[" + certificate.getSubjectX500Principal().getName() + ", key hidden]";
    }
}
