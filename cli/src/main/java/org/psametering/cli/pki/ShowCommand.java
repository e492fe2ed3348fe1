package org.psametering.cli.pki;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.psametering.crypto.pki.CertificateVerifier;
import org.psametering.crypto.pki.Pem;
import org.psametering.crypto.pki.PkiFormatException;
import org.psametering.crypto.pki.RevocationLists;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code psa pki show}: what a certificate or CRL (PEM or DER) says; a private key is named, never printed. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print what a certificate or CRL file says (PEM or DER).")
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "A .crt/.pem certificate or a CRL file.")
    Path file;

    @Override
    public Integer call() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN PRIVATE KEY-----") || text.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException(file + " is a private key; show prints certificates and CRLs only");
        }
        try {
            if (text.contains("-----BEGIN X509 CRL-----")) {
                printCrl(Pem.readCrl(text), out);
            } else if (text.contains("-----BEGIN CERTIFICATE-----")) {
                for (X509Certificate cert : Pem.readCertificates(text)) {
                    printCertificate(cert, out);
                }
            } else {
                printDer(bytes, out);
            }
        } catch (PkiFormatException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private static void printDer(byte[] der, PrintWriter out) {
        try {
            printCertificate(Pem.certificateFromDer(der), out);
        } catch (PkiFormatException notACertificate) {
            try {
                printCrl(RevocationLists.fromDer(der), out);
            } catch (PkiFormatException notACrl) {
                throw new PkiFormatException("neither a certificate (" + notACertificate.getMessage() + ") nor a CRL ("
                        + notACrl.getMessage() + ")");
            }
        }
    }

    private static void printCertificate(X509Certificate cert, PrintWriter out) {
        out.println("certificate");
        out.println("  subject:      " + cert.getSubjectX500Principal().getName());
        out.println("  common name:  " + CertificateVerifier.commonName(cert).orElse("(none or several)"));
        out.println("  role:         " + CertificateVerifier.role(cert).map(Enum::name)
                .orElse(cert.getBasicConstraints() >= 0 ? "CA" : "(none of this PKI)"));
        out.println("  serial:       " + cert.getSerialNumber() + " (0x" + cert.getSerialNumber().toString(16) + ")");
        out.println("  issuer:       " + cert.getIssuerX500Principal().getName());
        out.println("  valid:        " + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant());
        out.println("  key:          " + cert.getPublicKey().getAlgorithm() + ", signature " + cert.getSigAlgName());
        out.println("  CA:           " + (cert.getBasicConstraints() >= 0 ? "yes" : "no"));
        try {
            List<String> usages = cert.getExtendedKeyUsage();
            if (usages != null) {
                out.println("  key purposes: " + String.join(", ", usages));
            }
            if (cert.getSubjectAlternativeNames() != null) {
                out.println("  hosts:        " + cert.getSubjectAlternativeNames().stream()
                        .map(name -> String.valueOf(name.get(1))).collect(Collectors.joining(", ")));
            }
        } catch (CertificateParsingException e) {
            out.println("  extensions:   unreadable (" + e.getMessage() + ")");
        }
        out.println("  SHA-256:      " + sha256(Pem.certificateToDer(cert)));
    }

    private static void printCrl(X509CRL crl, PrintWriter out) {
        out.println("CRL");
        out.println("  issuer:       " + crl.getIssuerX500Principal().getName());
        out.println("  this update:  " + crl.getThisUpdate().toInstant());
        out.println("  next update:  " + crl.getNextUpdate().toInstant());
        var serials = RevocationLists.revokedSerials(crl);
        out.println("  revoked:      " + serials.size() + (serials.isEmpty() ? ""
                : " (" + serials.stream().map(BigInteger::toString).collect(Collectors.joining(", ")) + ")"));
    }

    private static String sha256(byte[] der) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
