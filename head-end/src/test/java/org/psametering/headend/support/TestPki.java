package org.psametering.headend.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.psametering.crypto.pki.Pem;
import org.psametering.headend.config.TrustSettings;
import java.time.Clock;
import org.psametering.protocol.trust.IdentityVerifier;
import org.psametering.protocol.trust.ThrowawayPki;

/** One throw-away CA for the head-end tests: the test meters' identities and the head-end's verifier of them. */
public final class TestPki {

    public static final ThrowawayPki PKI = ThrowawayPki.create(new SecureRandom());
    /** Judges certificates on the wall clock: the tests' own clocks may be anywhere in time. */
    public static final IdentityVerifier VERIFIER = PKI.verifier(Clock.systemUTC());

    private TestPki() {
    }

    /** Writes the head-end's key, certificate and the CA certificate as PEM under {@code dir}; the config's trust section. */
    public static TrustSettings writeHeadEndTrust(Path dir) throws IOException {
        Files.createDirectories(dir);
        ThrowawayPki.Issued headEnd = PKI.headEnd();
        Path key = Files.writeString(dir.resolve("head-end.key"), Pem.writePrivateKey(headEnd.privateKey()));
        Path certificate = Files.writeString(dir.resolve("head-end.crt"), Pem.writeCertificate(headEnd.certificate()));
        Path anchor = Files.writeString(dir.resolve("ca.crt"), Pem.writeCertificate(PKI.anchor()));
        return new TrustSettings(key, certificate, anchor, null);
    }
}
