package org.psametering.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Runs JMH on one benchmark package. Defaults suit a 2-core machine (one fork, 3 warm-up and 5 measured iterations); any JMH
 * option given by the user replaces the matching default, and a positional regex replaces the package filter.
 */
public abstract class JmhCommand implements Callable<Integer> {
    /** JMH options that take a value and for which a default is supplied. */
    private static final List<List<String>> DEFAULTS = List.of(List.of("-f", "1"), List.of("-wi", "3"), List.of("-i", "5"));
    /** JMH options that take a value, so the value is not mistaken for a benchmark regex. */
    private static final Set<String> VALUED_OPTIONS = Set.of("-bm", "-bs", "-e", "-f", "-foe", "-gc", "-i", "-jvm", "-jvmArgs",
            "-jvmArgsAppend", "-jvmArgsPrepend", "-o", "-opi", "-p", "-prof", "-r", "-rf", "-rff", "-si", "-t", "-tg", "-tu", "-v",
            "-w", "-wbs", "-wf", "-wi", "-wm", "-to");

    @Unmatched
    private List<String> jmhArgs = new ArrayList<>();

    /** Package whose benchmarks this command runs by default. */
    protected abstract String benchmarkPackage();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(jmhArguments(jmhArgs, benchmarkPackage()).toArray(String[]::new));
        return 0;
    }

    /** The argument list handed to JMH: the user's arguments plus the defaults they did not override. */
    static List<String> jmhArguments(List<String> userArgs, String benchmarkPackage) {
        List<String> args = new ArrayList<>();
        for (List<String> option : DEFAULTS) {
            if (!userArgs.contains(option.get(0))) {
                args.addAll(option);
            }
        }
        args.addAll(userArgs);
        if (!hasRegex(userArgs)) {
            args.add("^" + benchmarkPackage.replace(".", "\\.") + "\\.");
        }
        return args;
    }

    private static boolean hasRegex(List<String> userArgs) {
        for (int i = 0; i < userArgs.size(); i++) {
            String arg = userArgs.get(i);
            if (VALUED_OPTIONS.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return true;
            }
        }
        return false;
    }

    @Command(name = "crypto", mixinStandardHelpOptions = true,
            description = {"JMH benchmarks of the PSA crypto (org.psametering.cli.bench.crypto).",
                    "Extra arguments go to JMH (e.g. -f 2 -i 10 -prof gc, or a benchmark regex); defaults: -f 1 -wi 3 -i 5."})
    public static final class Crypto extends JmhCommand {
        @Override
        protected String benchmarkPackage() {
            return "org.psametering.cli.bench.crypto";
        }
    }

    @Command(name = "dmcfe", mixinStandardHelpOptions = true,
            description = {"JMH benchmarks of the DMCFE comparison scheme (org.psametering.cli.bench.dmcfe).",
                    "Extra arguments go to JMH; defaults: -f 1 -wi 3 -i 5."})
    public static final class Dmcfe extends JmhCommand {
        @Override
        protected String benchmarkPackage() {
            return "org.psametering.cli.bench.dmcfe";
        }
    }

    @Command(name = "head-end", mixinStandardHelpOptions = true,
            description = {"JMH benchmarks of the head-end core's per-result work (org.psametering.cli.bench.headend).",
                    "Extra arguments go to JMH; defaults: -f 1 -wi 3 -i 5."})
    public static final class HeadEnd extends JmhCommand {
        @Override
        protected String benchmarkPackage() {
            return "org.psametering.cli.bench.headend";
        }
    }
}
