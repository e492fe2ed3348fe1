package org.psametering.crypto.pki;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;

/** Strict DER parsing shared by the certificate and CRL decoders. */
final class Asn1 {

    private Asn1() {}

    /**
     * Parses {@code der} as one ASN.1 object and insists it is exactly that object in canonical DER: no trailing bytes,
     * no BER forms. Canonical input means one certificate has one encoding, so its hash and signature are unambiguous.
     */
    static ASN1Primitive strictDer(byte[] der, String what) throws IOException {
        ASN1Primitive object;
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            object = in.readObject();
            if (object == null) {
                throw new PkiFormatException(what + ": no ASN.1 object");
            }
            if (in.available() > 0 || in.readObject() != null) {
                throw new PkiFormatException(what + ": trailing bytes after the ASN.1 object");
            }
        }
        if (!Arrays.equals(object.getEncoded(ASN1Encoding.DER), der)) {
            throw new PkiFormatException(what + ": not in canonical DER");
        }
        return object;
    }

    static String reason(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
