package org.psametering.crypto.pki;

import java.util.Objects;

/**
 * The verdict on one certificate: {@link Reason#OK} or the first reason it fails, with a human-readable detail for
 * logs (names, serials and times only: nothing secret is ever in a certificate).
 */
public record CertificateCheck(Reason reason, String detail) {

    /** Why a certificate is accepted or refused. Checks run in this order; the first failure is reported. */
    public enum Reason {
        /** Issued by the trust anchor, valid now, not revoked, with the expected role and name. */
        OK,
        /** Unparseable extensions, no single CN, or a CA certificate presented as an end entity. */
        MALFORMED,
        /** Not issued by the trust anchor: issuer name differs or the signature does not verify under its key. */
        BAD_SIGNATURE,
        /** Its notBefore is after the time of the check. */
        NOT_YET_VALID,
        /** Its notAfter is before the time of the check. */
        EXPIRED,
        /**
         * The verifier's CRL is past its nextUpdate: revocation status is unknown, so nothing is accepted
         * (fail-closed) until a fresh CRL is installed.
         */
        CRL_OUTDATED,
        /** Its serial is on the verifier's CRL. */
        REVOKED,
        /** Its extended key usage lacks the expected role's OID (e.g. a head-end certificate presented as a meter). */
        WRONG_ROLE,
        /** Its subject CN is not the expected one (e.g. meter-002's certificate on meter-001's key). */
        WRONG_NAME
    }

    public CertificateCheck {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    static CertificateCheck ok(String detail) {
        return new CertificateCheck(Reason.OK, detail);
    }

    static CertificateCheck fail(Reason reason, String detail) {
        return new CertificateCheck(reason, detail);
    }

    public boolean ok() {
        return reason == Reason.OK;
    }
}
