package org.psametering.cli.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.psametering.crypto.pki.Role;

/**
 * The CA's record of what it issued ({@code index.tsv}), version 1: a header line, then one line per certificate,
 * tab-separated: serial (decimal), role ({@link Role} name), common name, notBefore, notAfter, revocation time or
 * {@code -} (times ISO-8601 UTC). The CRL is rebuilt from it; a line that does not parse stops every command with its
 * line number rather than being skipped (a skipped line could be a revocation).
 */
final class CertificateIndex {
    static final String HEADER = "# psa pki index v1\tserial\trole\tcommonName\tnotBefore\tnotAfter\trevokedAt";

    private CertificateIndex() {}

    static List<IndexEntry> parse(String text, String source) {
        List<IndexEntry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalStateException(source + ": not a psa pki index (version 1 header missing)");
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("expected 6 tab-separated fields, found " + f.length);
                }
                entries.add(new IndexEntry(new BigInteger(f[0]), Role.valueOf(f[1]), f[2], Instant.parse(f[3]),
                        Instant.parse(f[4]), f[5].equals("-") ? Optional.empty() : Optional.of(Instant.parse(f[5]))));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalStateException(source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    static String format(List<IndexEntry> entries) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (IndexEntry e : entries) {
            out.append(e.serial()).append('\t').append(e.role().name()).append('\t').append(e.commonName()).append('\t')
                    .append(e.notBefore()).append('\t').append(e.notAfter()).append('\t')
                    .append(e.revokedAt().map(Instant::toString).orElse("-")).append('\n');
        }
        return out.toString();
    }
}
