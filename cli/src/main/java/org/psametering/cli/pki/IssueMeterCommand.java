package org.psametering.cli.pki;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.psametering.crypto.pki.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psa pki issue-meter}. */
@Command(name = "issue-meter", mixinStandardHelpOptions = true,
        description = {"Certify a meter: its id becomes the certificate's CN (MQTT username, topic segment, protocol id).", "Writes <id>.key (0600), <id>.crt and ca.crt into --out; refuses to overwrite without --force."})
final class IssueMeterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IssueTarget target;

    @Option(names = "--id", required = true, description = "The meter id, e.g. meter-001.")
    String id;

    @Option(names = "--days", defaultValue = "3650", description = "Validity in days (not beyond the CA's). Default: ${DEFAULT-VALUE}.")
    int days;

    @Override
    public Integer call() {
        Issuer.issue(target.ca, Role.METER, id, List.of(), target.out, days, target.force, spec.commandLine().getOut());
        return 0;
    }
}
