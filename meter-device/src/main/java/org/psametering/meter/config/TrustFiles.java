package org.psametering.meter.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.RevocationLists;
import org.psametering.meter.agent.MeterTrust;
import org.psametering.protocol.trust.CertificateTrust;
import org.psametering.protocol.trust.CrlFileTrust;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.SigningIdentity;
import org.psametering.protocol.trust.UntrustedIdentityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code trust:} section of meter.yaml: PEM files made by {@code ./psa pki} and the names to expect.
 *
 * @param identityKey  this meter's Ed25519 private key (PEM, keep it 0600)
 * @param certificate  this meter's certificate (CN = meter id, Role METER)
 * @param anchor       the provisioning CA's certificate: the only one whose meters and head-end this meter believes
 * @param crl          the CA's revocation list, or null
 * @param headEndName  the CN the head-end's certificate must carry
 * @param minMembers   {@code group.minMembers}
 * @param crlCheckSeconds how often the CRL file is looked at for a new version (also before every key set)
 * @param keySetupThreads threads for a key set's per-member work: signature checks, then agreements and masks (default: the available processors)
 */
public record TrustFiles(Path identityKey, Path certificate, Path anchor, Path crl, String headEndName, int minMembers,
                         int keySetupThreads, int crlCheckSeconds) implements TrustSource {

    /** The default {@code trust.crlCheckSeconds}: how often the CRL file is looked at for a new version. */
    public static final int DEFAULT_CRL_CHECK_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(TrustFiles.class);

    public TrustFiles(Path identityKey, Path certificate, Path anchor, Path crl, String headEndName, int minMembers) {
        this(identityKey, certificate, anchor, crl, headEndName, minMembers, MeterTrust.DEFAULT_KEY_SETUP_THREADS,
                DEFAULT_CRL_CHECK_SECONDS);
    }

    public TrustFiles {
        if (identityKey == null || certificate == null || anchor == null) {
            throw new ConfigException("trust: identityKey, certificate and anchor are required (signatures are always on;"
                    + " make them with ./psa pki)");
        }
        if (headEndName == null || headEndName.isBlank()) {
            throw new ConfigException("trust.headEndName: missing (the CN of the head-end's certificate)");
        }
        if (minMembers < 1) {
            throw new ConfigException("group.minMembers: must be at least 1, was " + minMembers);
        }
        if (crlCheckSeconds < 1) {
            throw new ConfigException("trust.crlCheckSeconds: must be at least 1, was " + crlCheckSeconds);
        }
        if (keySetupThreads < 1 || keySetupThreads > 256) {
            throw new ConfigException("trust.keySetupThreads: must be 1..256, was " + keySetupThreads);
        }
    }

    @Override
    public MeterTrust load(String meterId, Clock clock) {
        try {
            PrivateKey key = Pem.readPrivateKey(read(identityKey, "trust.identityKey"));
            X509Certificate own = Pem.readCertificate(read(certificate, "trust.certificate"));
            X509Certificate ca = Pem.readCertificate(read(anchor, "trust.anchor"));
            IdentityVerifier verifier = crl == null ? new CertificateTrust(ca, Optional.empty(), clock)
                    : CrlFileTrust.open(ca, crl, clock, Duration.ofSeconds(crlCheckSeconds), new CrlLog(meterId));
            SigningIdentity identity = SigningIdentity.of(key, own);
            try {
                verifier.meter(identity.certificateDer(), meterId); // fail at start, not at the first key set
            } catch (UntrustedIdentityException e) {
                throw new ConfigException("trust.certificate: not a valid meter certificate for '" + meterId + "' under "
                        + "trust.anchor (" + e.reason() + "): " + e.getMessage());
            }
            return new MeterTrust(identity, verifier, headEndName, minMembers, keySetupThreads);
        } catch (PkiFormatException | IllegalArgumentException e) {
            throw new ConfigException("trust: " + e.getMessage(), e);
        }
    }

    /** Reports the meter's CRL reloads: a new list at INFO, one that could not be used at ERROR. */
    private record CrlLog(String meterId) implements CrlFileTrust.Listener {
        @Override
        public void loaded(Path file, X509CRL list) {
            log.info("meter {}: CRL {} reloaded: {} revoked, next update {}", meterId, file,
                    RevocationLists.revokedSerials(list).size(), list.getNextUpdate().toInstant());
        }

        @Override
        public void failed(Path file, String reason) {
            log.error("meter {}: CRL {} not reloaded: {}", meterId, file, reason);
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
