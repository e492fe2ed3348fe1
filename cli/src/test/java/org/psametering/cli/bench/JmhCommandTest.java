package org.psametering.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhCommandTest {
    private static final String PACKAGE = "org.psametering.cli.bench.crypto";

    @Test
    void noArgumentsGiveTwoCoreDefaultsAndThePackageFilter() {
        assertEquals(List.of("-f", "1", "-wi", "3", "-i", "5", "^org\\.psametering\\.cli\\.bench\\.crypto\\."),
                JmhCommand.jmhArguments(List.of(), PACKAGE));
    }

    @Test
    void userOptionReplacesOnlyItsDefault() {
        assertEquals(List.of("-f", "1", "-wi", "3", "-i", "10", "-prof", "gc", "^org\\.psametering\\.cli\\.bench\\.crypto\\."),
                JmhCommand.jmhArguments(List.of("-i", "10", "-prof", "gc"), PACKAGE));
    }

    @Test
    void userRegexReplacesThePackageFilterButOptionValuesDoNot() {
        assertEquals(List.of("-f", "1", "-wi", "3", "-i", "5", "-p", "n=8", "Encrypt"),
                JmhCommand.jmhArguments(List.of("-p", "n=8", "Encrypt"), PACKAGE));
    }
}
