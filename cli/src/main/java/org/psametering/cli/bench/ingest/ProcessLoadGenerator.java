package org.psametering.cli.bench.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A {@link LoadGenerator} in a child JVM ({@link LoadGeneratorMain}, same class path). Each round's messages are made
 * here and written to a scratch file before the clock starts; the child reads them into memory, then publishes on
 * "go". The child reports its times relative to reading "go", so the two processes' clocks need not agree; the round
 * starts here just before "go" is written (the pipe adds microseconds).
 */
public final class ProcessLoadGenerator implements LoadGenerator {
    private final Process process;
    private final PrintStream commands;
    private final BufferedReader replies;
    private final Path scratch;

    public ProcessLoadGenerator(String brokerUrl, int connections, Path workDir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LoadGeneratorMain.class.getName(), brokerUrl, Integer.toString(connections))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        scratch = Files.createDirectories(workDir).resolve("load-batch.bin");
        expect("connected");
    }

    @Override
    public ParallelPublisher.Timing publishAll(int count, IntFunction<ParallelPublisher.Outgoing> messageAt) throws InterruptedException {
        try {
            MessageBatchFile.write(scratch, count, messageAt);
            commands.println("load " + scratch);
            expect("ready " + count);
            long go = System.nanoTime();
            commands.println("go");
            String[] done = expect("done ").split(" ");
            return new ParallelPublisher.Timing(go, go + Long.parseLong(done[1]), go + Long.parseLong(done[2]));
        } catch (IOException e) {
            throw new UncheckedIOException("load generator process: " + e.getMessage(), e);
        }
    }

    private String expect(String prefix) throws IOException {
        String line = replies.readLine();
        if (line == null) {
            throw new IOException("the load generator process ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        if (!line.startsWith(prefix)) {
            throw new IOException("the load generator process answered '" + line + "', expected '" + prefix + "...'");
        }
        return line;
    }

    @Override
    public ProcessHandle process() {
        return process.toHandle();
    }

    @Override
    public void close() {
        commands.println("quit");
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            // the benchmark's work directory is deleted afterwards anyway
        }
    }
}
