package org.psametering.crypto.pki;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a certificate from the provisioning CA entitles its holder to, written into the certificate as an extended key
 * usage (EKU) with a project OID. The verifier checks the project OID, never the TLS purposes: a head-end certificate
 * is a TLS server certificate too, but that does not make it a meter.
 *
 * <p>The project arc is {@code 2.25.61992486575183064070381698617927425256} (an OID derived from a random UUID, ITU-T
 * X.667, so it needs no registration); {@code .1.n} are the role purposes. Each certificate also carries the TLS
 * purposes its holder needs (RFC 5280 4.2.1.12), because OpenSSL (Mosquitto) and JSSE refuse a TLS peer whose EKU lacks
 * them.
 */
public enum Role {
    /** A meter: signs its epoch keys; TLS client of the broker. Its meter id is the subject CN. */
    METER(1, List.of(KeyPurposeId.id_kp_clientAuth)),
    /** The head-end: signs announcements; TLS client of the broker and TLS server of the HTTP API. */
    HEAD_END(2, List.of(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth)),
    /** The MQTT broker: TLS server only; signs nothing in the protocol. Its SANs name the hosts it serves. */
    BROKER(3, List.of(KeyPurposeId.id_kp_serverAuth));

    private final ASN1ObjectIdentifier oid;
    private final List<KeyPurposeId> tlsPurposes;

    Role(int arc, List<KeyPurposeId> tlsPurposes) {
        this.oid = Arcs.ROLE.branch(Integer.toString(arc));
        this.tlsPurposes = tlsPurposes;
    }

    /** The EKU OID that marks this role, e.g. {@code 2.25.6199...256.1.1} for a meter. */
    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    /** Dotted form of {@link #oid()}, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} lists it. */
    public String oidString() {
        return oid.getId();
    }

    /** All purposes written into a certificate of this role: the role OID first, then the TLS purposes. */
    public List<KeyPurposeId> purposes() {
        var all = new java.util.ArrayList<KeyPurposeId>();
        all.add(KeyPurposeId.getInstance(oid));
        all.addAll(tlsPurposes);
        return List.copyOf(all);
    }

    /** The role whose OID this is, if any. */
    public static Optional<Role> fromOid(String dotted) {
        for (Role role : values()) {
            if (role.oidString().equals(dotted)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The project's OID arcs (a holder class: enum constructors cannot read the enum's own static fields). */
    public static final class Arcs {
        /** The project's arc (UUID-derived, see {@link Role}). */
        public static final ASN1ObjectIdentifier PROJECT =
                new ASN1ObjectIdentifier("2.25.61992486575183064070381698617927425256");
        /** Arc of the role purposes: {@code PROJECT.1}. */
        public static final ASN1ObjectIdentifier ROLE = PROJECT.branch("1");

        private Arcs() {}
    }
}
