package org.psametering.cli.pki;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.psametering.crypto.pki.RevocationLists;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psa pki crl}: writes crl.pem afresh (run it well before the current one's nextUpdate). */
@Command(name = "crl", mixinStandardHelpOptions = true,
        description = {"Write (or refresh) crl.pem in the CA directory from the index.",
                "A CRL past its nextUpdate makes every check fail (fail-closed), so refresh it in time, e.g. weekly from cron."})
final class CrlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ca", required = true, description = "CA directory.")
    Path ca;

    @Option(names = "--days", defaultValue = "30", description = "Validity of the CRL in days. Default: ${DEFAULT-VALUE}.")
    int days;

    @Override
    public Integer call() {
        CaDirectory dir = CaDirectory.open(ca);
        X509CRL crl = dir.refreshCrl(Instant.now(), Duration.ofDays(Options.positive(days, "--days")));
        spec.commandLine().getOut().printf("wrote %s: %d revoked serial(s), next update %s%n", dir.crlFile(),
                RevocationLists.revokedSerials(crl).size(), crl.getNextUpdate().toInstant());
        return 0;
    }
}
