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

/** {@code psa pki issue-broker}. */
@Command(name = "issue-broker", mixinStandardHelpOptions = true,
        description = {"Certify the MQTT broker (Mosquitto certfile/keyfile). Clients check that it names the host they dial.", "Writes <id>.key (0600), <id>.crt and ca.crt into --out; refuses to overwrite without --force."})
final class IssueBrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IssueTarget target;

    @Option(names = "--id", defaultValue = "broker", description = "The broker's name (CN). Default: ${DEFAULT-VALUE}.")
    String id;

    @Option(names = "--host", split = ",", defaultValue = "localhost,127.0.0.1", description = "DNS name or IP address clients use to reach it (repeatable or comma-separated). Default: ${DEFAULT-VALUE}.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", defaultValue = "825", description = "Validity in days (not beyond the CA's). Default: ${DEFAULT-VALUE}.")
    int days;

    @Override
    public Integer call() {
        Issuer.issue(target.ca, Role.BROKER, id, hosts == null ? List.of() : hosts, target.out, days, target.force, spec.commandLine().getOut());
        return 0;
    }
}
