package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.Role;
import org.psametering.headend.HeadEndTrust;
import org.psametering.protocol.trust.CertificateTrust;
import org.psametering.protocol.trust.SigningIdentity;
import org.psametering.protocol.trust.UntrustedIdentityException;

/**
 * The {@code trust:} section of head-end.yaml: PEM files made by {@code ./psa pki}.
 *
 * @param identityKey the head-end's Ed25519 private key (keep it 0600)
 * @param certificate its certificate (Role HEAD_END; its CN is the name meters expect, {@code trust.headEndName})
 * @param anchor      the provisioning CA's certificate: meter keys are accepted only with a certificate from it
 * @param crl         the CA's revocation list (optional)
 */
public record TrustSettings(@JsonProperty("identityKey") Path identityKey, @JsonProperty("certificate") Path certificate,
                            @JsonProperty("anchor") Path anchor, @JsonProperty("crl") Path crl) {

    public TrustSettings {
        if (identityKey == null || certificate == null || anchor == null) {
            throw new ConfigException("trust: identityKey, certificate and anchor are required (make them with ./psa pki)");
        }
    }

    /** Reads the files; the head-end's own certificate must be a valid HEAD_END certificate under the anchor. */
    public HeadEndTrust load(Clock clock) {
        try {
            X509Certificate own = Pem.readCertificate(read(certificate, "trust.certificate"));
            X509Certificate ca = Pem.readCertificate(read(anchor, "trust.anchor"));
            Optional<X509CRL> list = crl == null ? Optional.empty() : Optional.of(Pem.readCrl(read(crl, "trust.crl")));
            CertificateTrust verifier = new CertificateTrust(ca, list, clock);
            String name = CertificateVerifier.commonName(own).orElseThrow(
                    () -> new ConfigException("trust.certificate: has no single subject CN"));
            try {
                verifier.headEnd(own.getEncoded(), name);
            } catch (UntrustedIdentityException e) {
                throw new ConfigException("trust.certificate: not a valid " + Role.HEAD_END + " certificate under trust.anchor ("
                        + e.reason() + "): " + e.getMessage());
            }
            SigningIdentity identity = SigningIdentity.of(Pem.readPrivateKey(read(identityKey, "trust.identityKey")), own);
            return new HeadEndTrust(identity, verifier);
        } catch (PkiFormatException | IllegalArgumentException | java.security.cert.CertificateEncodingException e) {
            throw new ConfigException("trust: " + e.getMessage(), e);
        }
    }

    private static String read(Path file, String setting) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
