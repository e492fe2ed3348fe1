package org.psametering.cli.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.util.Collection;
import org.psametering.crypto.pki.Pem;
import org.psametering.headend.config.TrustSettings;
import org.psametering.meter.agent.MeterTrust;
import org.psametering.meter.config.TrustSource;
import org.psametering.protocol.trust.ThrowawayPki;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions a throw-away CA for in-process runs (demo, simulate, soak, benchmarks, system tests), so that signatures
 * and certificate checks are always on there too: one CA per JVM ({@link #shared()}), a meter certificate per meter
 * id, one head-end certificate whose PEM files the head-end reads like in production. A test that needs its own CA
 * (a revoked meter, a rogue head-end) makes one with {@link ThrowawayPki#create}.
 */
public final class Provisioning {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);
    private static ThrowawayPki shared;

    private Provisioning() {
    }

    /** The JVM's throw-away CA (made on first use). */
    public static synchronized ThrowawayPki shared() {
        if (shared == null) {
            shared = ThrowawayPki.create(new SecureRandom());
            LOG.info("provisioned a throw-away CA for this run ({}); it is not saved anywhere",
                    shared.anchor().getSubjectX500Principal().getName());
        }
        return shared;
    }

    /** Meters trusting {@code pki}, expecting its head-end, refusing groups below {@code minGroupSize}. */
    public static TrustSource meters(ThrowawayPki pki, int minGroupSize) {
        return (meterId, clock) -> new MeterTrust(pki.meter(meterId).identity(), pki.verifier(clock), ThrowawayPki.HEAD_END_NAME,
                minGroupSize);
    }

    /** As {@link #meters(ThrowawayPki, int)}, with the CA's revocation list. */
    public static TrustSource meters(ThrowawayPki pki, int minGroupSize, X509CRL crl) {
        return (meterId, clock) -> new MeterTrust(pki.meter(meterId).identity(), pki.verifier(clock, crl),
                ThrowawayPki.HEAD_END_NAME, minGroupSize);
    }

    /** Writes the head-end's key (0600), certificate and the CA certificate under {@code dir}; returns the trust section. */
    public static TrustSettings headEnd(ThrowawayPki pki, Path dir) {
        return headEnd(pki, dir, null);
    }

    /** As {@link #headEnd(ThrowawayPki, Path)}, with a CRL of meters the head-end refuses. */
    public static TrustSettings headEnd(ThrowawayPki pki, Path dir, Collection<String> revokedMeters) {
        try {
            Files.createDirectories(dir);
            ThrowawayPki.Issued headEnd = pki.headEnd();
            Path key = dir.resolve("head-end.key");
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, Pem.writePrivateKey(headEnd.privateKey()));
            Path certificate = Files.writeString(dir.resolve("head-end.crt"), Pem.writeCertificate(headEnd.certificate()));
            Path anchor = Files.writeString(dir.resolve("ca.crt"), Pem.writeCertificate(pki.anchor()));
            Path crl = null;
            if (revokedMeters != null) {
                crl = Files.writeString(dir.resolve("ca.crl"), Pem.writeCrl(pki.revoking(revokedMeters)));
            }
            return new TrustSettings(key, certificate, anchor, crl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the head-end's trust files under " + dir, e);
        }
    }
}
