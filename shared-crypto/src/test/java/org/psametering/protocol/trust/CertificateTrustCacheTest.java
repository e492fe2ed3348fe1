package org.psametering.protocol.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accepted-certificate cache is keyed by the DER's bytes: equal bytes hit, any other bytes are checked anew. */
class CertificateTrustCacheTest {

    @Test
    void equalBytesHitAndChangedBytesAreCheckedAgain() throws Exception {
        ThrowawayPki pki = ThrowawayPki.create(new SecureRandom());
        IdentityVerifier trust = pki.verifier(Clock.systemUTC());
        byte[] der = pki.meter("meter-1").certificate().getEncoded();
        VerifyingKey first = trust.meterKey(der, "meter-1");
        assertEquals(first, trust.meterKey(der.clone(), "meter-1"), "a copy of the same bytes is a cache hit");
        assertThrows(UntrustedIdentityException.class, () -> trust.meterKey(der.clone(), "meter-2"),
                "a hit still checks the name");
        for (int at : List.of(0, der.length / 2, der.length - 1)) {
            byte[] changed = der.clone();
            changed[at] ^= 1;
            assertThrows(UntrustedIdentityException.class, () -> trust.meterKey(changed, "meter-1"), "byte " + at);
        }
        byte[] other = pki.meter("meter-2").certificate().getEncoded();
        assertThrows(UntrustedIdentityException.class, () -> trust.meterKey(other, "meter-1"));
        assertEquals(first, trust.meterKey(der, "meter-1"));
    }
}
