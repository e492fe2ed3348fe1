package org.psametering.cli.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.psametering.crypto.pki.Role;

/** One certificate the CA issued, as its index records it; {@code revokedAt} is empty while it is not revoked. */
record IndexEntry(BigInteger serial, Role role, String commonName, Instant notBefore, Instant notAfter,
                  Optional<Instant> revokedAt) {

    IndexEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    IndexEntry revoked(Instant when) {
        return new IndexEntry(serial, role, commonName, notBefore, notAfter, Optional.of(when));
    }

    /** "valid", "expired", "not yet valid" or "revoked <time>", at {@code now}. */
    String status(Instant now) {
        if (revokedAt.isPresent()) {
            return "revoked " + revokedAt.get();
        }
        if (now.isAfter(notAfter)) {
            return "expired";
        }
        return now.isBefore(notBefore) ? "not yet valid" : "valid";
    }
}
