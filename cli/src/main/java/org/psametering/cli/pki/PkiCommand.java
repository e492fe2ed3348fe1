package org.psametering.cli.pki;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code psa pki}: the provisioning CA's chores (certificate profile: shared-crypto/README.md section 12). */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = {"Provisioning PKI: a CA that certifies meters, the head-end and the MQTT broker (Ed25519, X.509).",
                "Run it where the CA key is kept (ideally offline), never on the head-end: whoever holds ca.key can make meters.",
                "Typical setup: init-ca, issue-broker, issue-head-end, one issue-meter per meter; see README, \"TLS\"."},
        subcommands = {InitCaCommand.class, IssueMeterCommand.class, IssueHeadEndCommand.class, IssueBrokerCommand.class,
                ListCommand.class, RevokeCommand.class, CrlCommand.class, ShowCommand.class})
public final class PkiCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
