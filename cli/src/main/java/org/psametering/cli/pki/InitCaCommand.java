package org.psametering.cli.pki;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psa pki init-ca}: a new CA directory. */
@Command(name = "init-ca", mixinStandardHelpOptions = true,
        description = "Create a CA: ca.key (0600), ca.crt, an empty index and an empty CRL in --dir (0700).")
final class InitCaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "CA directory (created if missing).")
    Path dir;

    @Option(names = "--name", required = true, description = "The CA's name (its certificate's CN), e.g. \"Example Metering CA\".")
    String name;

    @Option(names = "--days", defaultValue = "7300", description = "Validity of the CA certificate in days. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--crl-days", defaultValue = "30",
            description = "Validity of the CRL in days; refresh it before then (./psa pki crl). Default: ${DEFAULT-VALUE}.")
    int crlDays;

    @Option(names = "--force", description = "Replace an existing CA in --dir (its certificates stop being trusted).")
    boolean force;

    @Override
    public Integer call() {
        CaDirectory ca = CaDirectory.init(dir, name, Duration.ofDays(Options.positive(days, "--days")),
                Duration.ofDays(Options.positive(crlDays, "--crl-days")), force, Instant.now(), new SecureRandom());
        var out = spec.commandLine().getOut();
        out.printf("created CA '%s', valid until %s%n", name, ca.credentials().certificate().getNotAfter().toInstant());
        out.printf("  %s  (private key, 0600: keep it offline)%n", dir.resolve(CaDirectory.CA_KEY));
        out.printf("  %s  (give to meters, head-end and broker)%n", dir.resolve(CaDirectory.CA_CERT));
        out.printf("  %s  (CRL, valid %d days: ./psa pki crl --ca %s refreshes it)%n", dir.resolve(CaDirectory.CRL), crlDays, dir);
        return 0;
    }
}
