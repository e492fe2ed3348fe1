package org.psametering.cli.pki;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every {@code issue-*} command shares: which CA signs, where the files go, whether to replace them. */
final class IssueTarget {
    @Option(names = "--ca", required = true, description = "CA directory (from init-ca).")
    Path ca;

    @Option(names = "--out", required = true, description = "Output directory (created 0700 if missing).")
    Path out;

    @Option(names = "--force", description = "Replace existing files in --out.")
    boolean force;
}
