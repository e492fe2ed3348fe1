package org.psametering.cli.pki;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psa pki list}: the CA's index as a table. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the certificates the CA issued: serial, role, CN, validity, status.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ca", required = true, description = "CA directory.")
    Path ca;

    @Override
    public Integer call() {
        CaDirectory dir = CaDirectory.open(ca);
        List<IndexEntry> entries = dir.entries();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("CA %s (%s), %d certificate(s)%n", dir.credentials().certificate().getSubjectX500Principal().getName(),
                ca, entries.size());
        out.printf("%-8s %-9s %-24s %-21s %-21s %s%n", "serial", "role", "CN", "notBefore", "notAfter", "status");
        Instant now = Instant.now();
        for (IndexEntry e : entries) {
            out.printf("%-8s %-9s %-24s %-21s %-21s %s%n", e.serial(), e.role(), e.commonName(), e.notBefore(), e.notAfter(),
                    e.status(now));
        }
        return 0;
    }
}
