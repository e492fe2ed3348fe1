package org.psametering.headend;

import java.util.ArrayList;
import java.util.List;
import org.psametering.protocol.trust.CrlFileTrust;

/**
 * The CRL files the head-end watches ({@code trust.crlFile} for members' certificates, {@code mqtt.tls.crlFile} for the
 * broker link): which of them could not be reloaded. Such a file keeps the previous CRL in force, so ingest goes on,
 * but a revocation issued since is not seen: {@code /health} shows the head-end as degraded and the metrics count it,
 * so it is noticed without reading the log.
 */
public record CrlWatch(List<CrlFileTrust> files) {

    public static final CrlWatch NONE = new CrlWatch(List.of());

    public CrlWatch {
        files = List.copyOf(files);
    }

    /** "file: reason" for each watched file whose current version is not in force; empty when all are current. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (CrlFileTrust file : files) {
            file.reloadProblem().ifPresent(problem -> problems.add(file.file() + ": " + problem));
        }
        return problems;
    }

    /** Changed CRL files that could not be loaded since the start, over all watched files (each change once). */
    public long failedReloads() {
        return files.stream().mapToLong(CrlFileTrust::failedReloads).sum();
    }
}
