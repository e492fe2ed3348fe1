package org.psametering.crypto.dmcfe.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.apache.milagro.amcl.BLS381.BIG;
import org.apache.milagro.amcl.BLS381.ECP;
import org.apache.milagro.amcl.BLS381.ECP2;
import org.apache.milagro.amcl.BLS381.FP12;
import org.apache.milagro.amcl.BLS381.FP2;
import org.apache.milagro.amcl.BLS381.PAIR;
import org.apache.milagro.amcl.BLS381.ROM;
import org.psametering.crypto.dmcfe.pairing.G1Element;
import org.psametering.crypto.dmcfe.pairing.G2Element;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.dmcfe.pairing.PairingGroup;

/**
 * {@link PairingGroup} on BLS12-381 backed by Apache Milagro (org.miracl.milagro.amcl 0.4.0, pure Java).
 *
 * <p>Encodings: G1 is Milagro's compressed form (49 bytes: 0x02/0x03 by parity of y, then x big-endian);
 * G2 is Milagro's uncompressed form (192 bytes: x.a, x.b, y.a, y.b, each 48 bytes big-endian).
 */
public final class MilagroBls12381 implements PairingGroup {

    static final int FIELD_BYTES = BIG.MODBYTES;
    private static final BIG MODULUS = new BIG(ROM.Modulus);

    public static final MilagroBls12381 INSTANCE = new MilagroBls12381();
    private static final int G1_BYTES = FIELD_BYTES + 1;
    private static final int G2_BYTES = 4 * FIELD_BYTES;

    private final BigInteger order = toBigInteger(new BIG(ROM.CURVE_Order));
    private final BIG orderBig = new BIG(ROM.CURVE_Order);
    private final MilagroG1 g1 = new MilagroG1(ECP.generator());
    private final MilagroG2 g2 = new MilagroG2(ECP2.generator());
    private final MilagroGt gt = new MilagroGt(PAIR.fexp(PAIR.ate(ECP2.generator(), ECP.generator())));
    private final MilagroGt gtOne = new MilagroGt(new FP12(1));

    private MilagroBls12381() {
    }

    @Override
    public String name() {
        return "BLS12-381";
    }

    @Override
    public BigInteger order() {
        return order;
    }

    @Override
    public G1Element g1Generator() {
        return g1;
    }

    @Override
    public G2Element g2Generator() {
        return g2;
    }

    @Override
    public GtElement gtGenerator() {
        return gt;
    }

    @Override
    public GtElement gtIdentity() {
        return gtOne;
    }

    @Override
    public G1Element hashToG1(byte[] domain, byte[] message) {
        // mapit is try-and-increment plus cofactor clearing; labels are public, so its timing leaks nothing.
        return new MilagroG1(ECP.mapit(fieldSizedDigest(domain, message)));
    }

    @Override
    public G2Element hashToG2(byte[] domain, byte[] message) {
        return new MilagroG2(ECP2.mapit(fieldSizedDigest(domain, message)));
    }

    @Override
    public GtElement pairingProduct(G1Element[] a, G2Element[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("pairing product needs as many G1 as G2 elements, got "
                    + a.length + " and " + b.length);
        }
        FP12 miller = new FP12(1);
        for (int i = 0; i < a.length; i++) {
            ECP p = g1(a[i]).point;
            ECP2 q = g2(b[i]).point;
            if (p.is_infinity() || q.is_infinity()) {
                continue; // e(O, Q) = e(P, O) = 1; Milagro's Miller loop does not special-case it
            }
            miller.mul(PAIR.ate(q, p));
        }
        return new MilagroGt(PAIR.fexp(miller));
    }

    @Override
    public int g1EncodedLength() {
        return G1_BYTES;
    }

    @Override
    public int g2EncodedLength() {
        return G2_BYTES;
    }

    @Override
    public G1Element decodeG1(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded G1 element");
        if (encoded.length != G1_BYTES || (encoded[0] != 0x02 && encoded[0] != 0x03)) {
            throw new IllegalArgumentException("G1 element must be " + G1_BYTES
                    + " bytes in compressed form (first byte 0x02 or 0x03)");
        }
        ECP p = new ECP(fieldElement(encoded, 1), 0);
        if (!p.is_infinity() && canonical(p.getY()).parity() != (encoded[0] & 1)) {
            p.neg();
        }
        if (p.is_infinity() || !p.mul(orderBig).is_infinity()) {
            throw new IllegalArgumentException("G1 element is not a point of the order-r subgroup of BLS12-381");
        }
        return new MilagroG1(p);
    }

    @Override
    public G2Element decodeG2(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded G2 element");
        if (encoded.length != G2_BYTES) {
            throw new IllegalArgumentException("G2 element must be " + G2_BYTES + " bytes");
        }
        ECP2 q = new ECP2(new FP2(fieldElement(encoded, 0), fieldElement(encoded, FIELD_BYTES)),
                new FP2(fieldElement(encoded, 2 * FIELD_BYTES), fieldElement(encoded, 3 * FIELD_BYTES)));
        if (q.is_infinity() || !q.mul(orderBig).is_infinity()) {
            throw new IllegalArgumentException("G2 element is not a point of the order-r subgroup of BLS12-381");
        }
        return new MilagroG2(q);
    }

    @Override
    public String toString() {
        return name();
    }

    BIG scalar(BigInteger value) {
        BigInteger reduced = value.mod(order);
        byte[] raw = reduced.toByteArray();
        byte[] fixed = new byte[FIELD_BYTES];
        int copy = Math.min(raw.length, FIELD_BYTES);
        System.arraycopy(raw, raw.length - copy, fixed, FIELD_BYTES - copy, copy);
        return BIG.fromBytes(fixed);
    }

    /**
     * Milagro's redc() may return a value in [p, 2p) (lazy reduction), so parities, encodings and hashes are taken
     * from the fully reduced value.
     */
    static BIG canonical(BIG fieldValue) {
        fieldValue.mod(MODULUS);
        return fieldValue;
    }

    private static void putField(BIG fieldValue, byte[] out, int offset) {
        byte[] tmp = new byte[FIELD_BYTES];
        canonical(fieldValue).toBytes(tmp);
        System.arraycopy(tmp, 0, out, offset, FIELD_BYTES);
    }

    private static BIG fieldElement(byte[] encoded, int offset) {
        BIG value = BIG.frombytearray(encoded, offset);
        if (BIG.comp(value, MODULUS) >= 0) {
            throw new IllegalArgumentException("encoded coordinate is not below the field modulus");
        }
        return value;
    }

    private static BigInteger toBigInteger(BIG value) {
        byte[] bytes = new byte[FIELD_BYTES];
        value.toBytes(bytes);
        return new BigInteger(1, bytes);
    }

    /** SHA-384(len(domain) || domain || message): 48 bytes, the field size mapit expects. */
    private static byte[] fieldSizedDigest(byte[] domain, byte[] message) {
        if (domain == null || domain.length == 0 || domain.length > 255) {
            throw new IllegalArgumentException("hash-to-curve domain must be 1..255 bytes");
        }
        Objects.requireNonNull(message, "message");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-384");
            sha.update((byte) domain.length);
            sha.update(domain);
            sha.update(message);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 is required by every Java platform", e);
        }
    }

    private static MilagroG1 g1(G1Element e) {
        if (e instanceof MilagroG1 m) {
            return m;
        }
        throw new IllegalArgumentException("G1 element of another pairing group: " + e.getClass().getName());
    }

    private static MilagroG2 g2(G2Element e) {
        if (e instanceof MilagroG2 m) {
            return m;
        }
        throw new IllegalArgumentException("G2 element of another pairing group: " + e.getClass().getName());
    }

    private static MilagroGt gt(GtElement e) {
        if (e instanceof MilagroGt m) {
            return m;
        }
        throw new IllegalArgumentException("GT element of another pairing group: " + e.getClass().getName());
    }

    /** Milagro mutates points in place, so every operation works on a copy to keep elements immutable. */
    private static final class MilagroG1 implements G1Element {
        private final ECP point;

        MilagroG1(ECP point) {
            this.point = point;
        }

        @Override
        public G1Element add(G1Element other) {
            ECP sum = new ECP(point);
            sum.add(g1(other).point);
            return new MilagroG1(sum);
        }

        @Override
        public G1Element negate() {
            ECP neg = new ECP(point);
            neg.neg();
            return new MilagroG1(neg);
        }

        @Override
        public G1Element multiply(BigInteger scalar) {
            return new MilagroG1(PAIR.G1mul(point, INSTANCE.scalar(scalar)));
        }

        @Override
        public boolean isIdentity() {
            return point.is_infinity();
        }

        @Override
        public byte[] toBytes() {
            if (point.is_infinity()) {
                throw new IllegalStateException("the G1 identity has no encoding");
            }
            ECP affine = new ECP(point);
            affine.affine();
            byte[] out = new byte[G1_BYTES];
            out[0] = (byte) (0x02 | canonical(affine.getY()).parity());
            putField(affine.getX(), out, 1);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MilagroG1 other && point.equals(other.point);
        }

        @Override
        public int hashCode() {
            return point.is_infinity() ? 0 : Long.hashCode(canonical(point.getX()).get(0));
        }

        @Override
        public String toString() {
            return "G1[" + (point.is_infinity() ? "identity" : Long.toHexString(canonical(point.getX()).get(0))) + "…]";
        }
    }

    private static final class MilagroG2 implements G2Element {
        private final ECP2 point;

        MilagroG2(ECP2 point) {
            this.point = point;
        }

        @Override
        public G2Element add(G2Element other) {
            ECP2 sum = new ECP2(point);
            sum.add(g2(other).point);
            return new MilagroG2(sum);
        }

        @Override
        public G2Element negate() {
            ECP2 neg = new ECP2(point);
            neg.neg();
            return new MilagroG2(neg);
        }

        @Override
        public G2Element multiply(BigInteger scalar) {
            return new MilagroG2(PAIR.G2mul(point, INSTANCE.scalar(scalar)));
        }

        @Override
        public boolean isIdentity() {
            return point.is_infinity();
        }

        @Override
        public byte[] toBytes() {
            if (point.is_infinity()) {
                throw new IllegalStateException("the G2 identity has no encoding");
            }
            ECP2 affine = new ECP2(point);
            affine.affine();
            byte[] out = new byte[G2_BYTES];
            putField(affine.getX().getA(), out, 0);
            putField(affine.getX().getB(), out, FIELD_BYTES);
            putField(affine.getY().getA(), out, 2 * FIELD_BYTES);
            putField(affine.getY().getB(), out, 3 * FIELD_BYTES);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MilagroG2 other && point.equals(other.point);
        }

        @Override
        public int hashCode() {
            return point.is_infinity() ? 0 : Long.hashCode(canonical(point.getX().getA()).get(0));
        }

        @Override
        public String toString() {
            return "G2[…]"; // key shares are G2 elements: keep their value out of logs
        }
    }

    private static final class MilagroGt implements GtElement {
        private final FP12 value;

        MilagroGt(FP12 value) {
            this.value = value;
        }

        @Override
        public GtElement multiply(GtElement other) {
            FP12 product = new FP12(value);
            product.mul(gt(other).value);
            return new MilagroGt(product);
        }

        @Override
        public GtElement inverse() {
            FP12 inv = new FP12(value);
            inv.inverse();
            return new MilagroGt(inv);
        }

        @Override
        public GtElement pow(long exponent) {
            if (exponent < 0) {
                throw new IllegalArgumentException("GT exponent must be non-negative, got " + exponent);
            }
            if (exponent == 0) {
                return INSTANCE.gtOne; // Milagro's pow returns the base itself for a zero exponent
            }
            return new MilagroGt(new FP12(value).pow(INSTANCE.scalar(BigInteger.valueOf(exponent))));
        }

        @Override
        public long fingerprint() {
            // The low 64 bits of one fully reduced coordinate: uniform for random GT elements and canonical,
            // because Milagro keeps coordinates lazily reduced in Montgomery form.
            BIG coordinate = canonical(value.geta().geta().getA());
            return coordinate.get(0) ^ (coordinate.get(1) << BIG.BASEBITS);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MilagroGt other && value.equals(other.value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(fingerprint());
        }

        @Override
        public String toString() {
            return "GT[" + Long.toHexString(fingerprint()) + "]";
        }
    }
}
