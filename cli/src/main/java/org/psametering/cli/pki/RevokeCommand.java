package org.psametering.cli.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psa pki revoke}: marks a serial revoked and rewrites the CRL. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a certificate by serial (see list) and write a new crl.pem in the CA directory.",
                "Copy crl.pem to the broker (crlfile; restart it) and to the meters and head-end (crlFile)."})
final class RevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ca", required = true, description = "CA directory.")
    Path ca;

    @Option(names = "--serial", required = true, description = "Serial number (decimal, as list shows it).")
    BigInteger serial;

    @Option(names = "--crl-days", defaultValue = "30", description = "Validity of the new CRL in days. Default: ${DEFAULT-VALUE}.")
    int crlDays;

    @Override
    public Integer call() {
        CaDirectory dir = CaDirectory.open(ca);
        IndexEntry revoked = dir.revoke(serial, Instant.now(), Duration.ofDays(Options.positive(crlDays, "--crl-days")));
        spec.commandLine().getOut().printf("revoked serial %s (%s '%s'); wrote %s (valid %d days)%n", revoked.serial(),
                revoked.role(), revoked.commonName(), dir.crlFile(), crlDays);
        return 0;
    }
}
