package org.psametering.headend.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.RevocationLists;
import org.psametering.crypto.pki.Role;
import org.psametering.headend.HeadEndTrust;
import org.psametering.protocol.trust.CertificateTrust;
import org.psametering.protocol.trust.CrlFileTrust;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.SigningIdentity;
import org.psametering.protocol.trust.UntrustedIdentityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code trust:} section of head-end.yaml: PEM files made by {@code ./psa pki}.
 *
 * @param identityKey the head-end's Ed25519 private key (keep it 0600)
 * @param certificate its certificate (Role HEAD_END; its CN is the name meters expect, {@code trust.headEndName})
 * @param anchor      the provisioning CA's certificate: meter keys are accepted only with a certificate from it
 * @param crl         the CA's revocation list (optional); watched for a new version while the head-end runs
 * @param crlCheckSeconds how often the CRL file is looked at (default 60; also on every configuration reload)
 */
public record TrustSettings(@JsonProperty("identityKey") Path identityKey, @JsonProperty("certificate") Path certificate,
                            @JsonProperty("anchor") Path anchor, @JsonProperty("crl") Path crl,
                            @JsonProperty("crlCheckSeconds") Integer crlCheckSeconds) {

    /** The default {@code trust.crlCheckSeconds}: how often the CRL file is looked at for a new version. */
    public static final int DEFAULT_CRL_CHECK_SECONDS = 60;

    private static final Logger LOG = LoggerFactory.getLogger(TrustSettings.class);

    @JsonCreator
    public TrustSettings {
        if (identityKey == null || certificate == null || anchor == null) {
            throw new ConfigException("trust: identityKey, certificate and anchor are required (make them with ./psa pki)");
        }
        if (crlCheckSeconds == null) {
            crlCheckSeconds = DEFAULT_CRL_CHECK_SECONDS;
        }
        if (crlCheckSeconds < 1) {
            throw new ConfigException("trust.crlCheckSeconds: must be at least 1, was " + crlCheckSeconds);
        }
    }

    public TrustSettings(Path identityKey, Path certificate, Path anchor, Path crl) {
        this(identityKey, certificate, anchor, crl, DEFAULT_CRL_CHECK_SECONDS);
    }

    /** Reads the files; the head-end's own certificate must be a valid HEAD_END certificate under the anchor. */
    public HeadEndTrust load(Clock clock) {
        try {
            X509Certificate own = Pem.readCertificate(read(certificate, "trust.certificate"));
            X509Certificate ca = Pem.readCertificate(read(anchor, "trust.anchor"));
            // a CRL file is watched: replaced while the head-end runs, it counts from the next check on (CrlFileTrust)
            IdentityVerifier verifier = crl == null ? new CertificateTrust(ca, Optional.empty(), clock)
                    : CrlFileTrust.open(ca, crl, clock, Duration.ofSeconds(crlCheckSeconds), new CrlLog());
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

    /** Reports the head-end's CRL reloads: a new list at INFO, one that could not be used at ERROR. */
    private static final class CrlLog implements CrlFileTrust.Listener {
        @Override
        public void loaded(Path file, X509CRL list) {
            LOG.info("CRL {} reloaded: {} revoked, next update {}", file, RevocationLists.revokedSerials(list).size(),
                    list.getNextUpdate().toInstant());
        }

        @Override
        public void failed(Path file, String reason) {
            LOG.error("CRL {} not reloaded: {}", file, reason);
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
