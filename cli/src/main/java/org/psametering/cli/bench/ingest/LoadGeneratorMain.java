package org.psametering.cli.bench.ingest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The load generator as its own JVM ({@link ProcessLoadGenerator} starts it): the benchmark's publishing clients then
 * neither share the head-end's heap, GC and JIT nor hide their CPU time in it. Line protocol on stdin/stdout:
 * {@code load <file>} → {@code ready <n>} (the batch read into memory); {@code go} → {@code done <sentNanos> <ackedNanos>}
 * (from reading "go" to the last message handed to Paho, and to the last PUBACK); {@code quit} ends it. Errors answer
 * {@code error <text>}.
 */
public final class LoadGeneratorMain {
    private LoadGeneratorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LoadGeneratorMain <broker-url> <connections>");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (ParallelPublisher publisher = new ParallelPublisher(args[0], Integer.parseInt(args[1]))) {
            out.println("connected");
            List<ParallelPublisher.Outgoing> batch = List.of();
            String line;
            while ((line = in.readLine()) != null) {
                try {
                    if (line.startsWith("load ")) {
                        batch = MessageBatchFile.read(Path.of(line.substring(5)));
                        out.println("ready " + batch.size());
                    } else if (line.equals("go")) {
                        long go = System.nanoTime();
                        ParallelPublisher.Timing t = publisher.publishAll(batch);
                        out.println("done " + (t.lastSentNanos() - go) + " " + (t.lastAckedNanos() - go));
                        batch = List.of();
                    } else if (line.equals("quit")) {
                        break;
                    } else {
                        out.println("error unknown command: " + line);
                    }
                } catch (Exception e) {
                    out.println("error " + e.toString().replace('\n', ' '));
                }
            }
        }
    }
}
