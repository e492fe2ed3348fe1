package org.psametering.cli.bench.ingest.groups;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;

/**
 * BENCHMARK ONLY: a simulated meter's PSA key drawn from an AES-128-CTR key stream under a 16-byte secret seed, so that
 * 100 000 simulated meters keep 16 bytes each instead of a 48 KiB key, and make the same key again whenever they
 * encrypt. A real meter draws its key once from its system random generator and stores it.
 */
final class SeededPsaKeys {
    static final int SEED_BYTES = 16;

    private SeededPsaKeys() {
    }

    static PsaKey key(PsaParameters params, byte[] seed) {
        return PsaKey.generate(params, new KeyStream(seed));
    }

    /** AES-CTR from a zero counter: a deterministic stream, only for {@link PsaKey#generate}'s one {@code nextBytes} call. */
    private static final class KeyStream extends SecureRandom {
        private final transient Cipher cipher;

        KeyStream(byte[] seed) {
            super(null, null);
            try {
                cipher = Cipher.getInstance("AES/CTR/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CTR is part of every JDK", e);
            }
        }

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 0);
            byte[] stream = cipher.update(bytes);
            System.arraycopy(stream, 0, bytes, 0, bytes.length);
            Arrays.fill(stream, (byte) 0);
        }

        @Override
        public void setSeed(long seed) {
            // the constructor of SecureRandom calls this; the stream is fixed by the AES key
        }
    }
}
