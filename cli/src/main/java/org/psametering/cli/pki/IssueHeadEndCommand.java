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

/** {@code psa pki issue-head-end}. */
@Command(name = "issue-head-end", mixinStandardHelpOptions = true,
        description = {"Certify the head-end (MQTT client; HTTPS server with --host). Its id must match the user in config/mosquitto/acl.", "Writes <id>.key (0600), <id>.crt and ca.crt into --out; refuses to overwrite without --force."})
final class IssueHeadEndCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IssueTarget target;

    @Option(names = "--id", defaultValue = "head-end", description = "The head-end id; the broker's ACL grants the head-end's rights to this name. Default: ${DEFAULT-VALUE}.")
    String id;

    @Option(names = "--host", split = ",", description = "DNS name or IP address clients use to reach it (repeatable or comma-separated). Needed for HTTPS only.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--days", defaultValue = "825", description = "Validity in days (not beyond the CA's). Default: ${DEFAULT-VALUE}.")
    int days;

    @Override
    public Integer call() {
        Issuer.issue(target.ca, Role.HEAD_END, id, hosts == null ? List.of() : hosts, target.out, days, target.force, spec.commandLine().getOut());
        return 0;
    }
}
