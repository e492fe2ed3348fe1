package org.psametering.crypto.dmcfe;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Decentralised setup of a client's {@link DmcfeClientSecret} without a trusted party.
 *
 * <p>For each pair i &lt; j both clients derive the same matrix M_ij in Z_r^{2x2} from their shared secret with
 * HKDF-SHA256; client i adds M_ij and client j subtracts it, so T_0 + ... + T_{N-1} = 0 and no single client
 * (nor the decryptor) learns another's T. s_i is drawn fresh from the client's own randomness.
 */
public final class DmcfeKeySetup {

    private static final byte[] SALT = "psa-metering/dmcfe/v1/T".getBytes(StandardCharsets.US_ASCII);
    /** 48 bytes per scalar: reducing 384 bits mod the 255-bit r leaves a bias below 2^-128. */
    private static final int BYTES_PER_SCALAR = 48;
    private static final int MIN_SECRET_BYTES = 32;

    private DmcfeKeySetup() {
    }

    public static DmcfeClientSecret setup(DmcfeGroup group, int self, PairwiseSecrets secrets, SecureRandom random) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(random, "random");
        group.checkClient(self);
        BigInteger r = group.curve().order();
        BigInteger[][] t = {{BigInteger.ZERO, BigInteger.ZERO}, {BigInteger.ZERO, BigInteger.ZERO}};
        byte[] okm = new byte[4 * BYTES_PER_SCALAR];
        for (int other = 0; other < group.size(); other++) {
            if (other == self) {
                continue;
            }
            byte[] shared = secrets.sharedWith(other);
            checkSecret(shared, other);
            pairMask(group, Math.min(self, other), Math.max(self, other), shared, okm);
            boolean add = self < other;
            for (int k = 0; k < 4; k++) {
                BigInteger m = new BigInteger(1, Arrays.copyOfRange(okm, k * BYTES_PER_SCALAR, (k + 1) * BYTES_PER_SCALAR));
                BigInteger cell = t[k / 2][k % 2];
                t[k / 2][k % 2] = add ? cell.add(m) : cell.subtract(m);
            }
        }
        Arrays.fill(okm, (byte) 0);
        for (int k = 0; k < 4; k++) {
            t[k / 2][k % 2] = t[k / 2][k % 2].mod(r);
        }
        BigInteger[] s = {randomScalar(r, random), randomScalar(r, random)};
        return new DmcfeClientSecret(group, self, s, t);
    }

    private static void pairMask(DmcfeGroup group, int low, int high, byte[] shared, byte[] out) {
        byte[] id = group.groupId().getBytes(StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(1 + id.length + 2 * Integer.BYTES)
                .put((byte) id.length).put(id).putInt(low).putInt(high).array();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, SALT, info));
        hkdf.generateBytes(out, 0, out.length);
    }

    private static void checkSecret(byte[] shared, int other) {
        if (shared == null || shared.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("secret shared with client " + other + " must be at least "
                    + MIN_SECRET_BYTES + " bytes");
        }
        int any = 0;
        for (byte b : shared) {
            any |= b;
        }
        if (any == 0) {
            throw new IllegalArgumentException("secret shared with client " + other
                    + " is all zero (a low-order X25519 public key?)");
        }
    }

    private static BigInteger randomScalar(BigInteger r, SecureRandom random) {
        BigInteger x;
        do {
            x = new BigInteger(r.bitLength(), random);
        } while (x.signum() == 0 || x.compareTo(r) >= 0);
        return x;
    }
}
