package org.psametering.cli.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker in a child process, for system tests and the ingest benchmark: own config in a work dir, a free
 * localhost port, anonymous access, persistence on (so {@link #restart()} keeps retained messages, sessions and queued QoS 1
 * messages, exactly what a production restart would).
 */
public final class MosquittoBroker implements LocalBroker {
    /** Where Debian/Ubuntu/Raspberry Pi OS put the binary; PATH is tried as well. */
    private static final List<Path> KNOWN_BINARIES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"), Path.of("/usr/local/bin/mosquitto"), Path.of("/opt/homebrew/sbin/mosquitto"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path binary;
    private final Path workDir;
    private final Path configFile;
    private final int port;
    private final boolean persistent;
    private final String extraConfig;
    private final boolean tls;
    private Process process;

    private MosquittoBroker(Path binary, Path workDir, int port, boolean persistent, String extraConfig) {
        this(binary, workDir, port, persistent, extraConfig, false);
    }

    private MosquittoBroker(Path binary, Path workDir, int port, boolean persistent, String extraConfig, boolean tls) {
        this.tls = tls;
        this.binary = binary;
        this.workDir = workDir;
        this.configFile = workDir.resolve("mosquitto.conf");
        this.port = port;
        this.persistent = persistent;
        this.extraConfig = extraConfig;
    }

    /** Starts Mosquitto on a free port with config, persistence and log under {@code workDir}. */
    public static MosquittoBroker start(Path workDir) {
        return start(workDir, true, "");
    }

    /**
     * As {@link #start(Path)}; with {@code persistent} false the broker keeps nothing across a restart (no retained
     * messages, sessions or queued messages), like the README's laptop setup.
     */
    public static MosquittoBroker start(Path workDir, boolean persistent) {
        return start(workDir, persistent, "");
    }

    /** As {@link #start(Path)}, with {@code extraConfig} (whole mosquitto.conf lines) appended to the config. */
    public static MosquittoBroker start(Path workDir, String extraConfig) {
        return start(workDir, true, extraConfig);
    }

    /** A broker whose only listener is TLS with client certificates ({@link BrokerTls}); {@link #url()} is ssl://. */
    public static MosquittoBroker startTls(Path workDir, BrokerTls tls) {
        MosquittoBroker broker = new MosquittoBroker(findBinary(), workDir, FreePort.pick(), true, tls.config(), true);
        broker.writeConfig();
        broker.launch();
        return broker;
    }

    private static MosquittoBroker start(Path workDir, boolean persistent, String extraConfig) {
        MosquittoBroker broker = new MosquittoBroker(findBinary(), workDir, FreePort.pick(), persistent, extraConfig);
        broker.writeConfig();
        broker.launch();
        return broker;
    }

    /** The mosquitto binary, or an error telling how to install it. */
    public static Path findBinary() {
        for (Path candidate : KNOWN_BINARIES) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mosquitto"))) {
                return Path.of(dir, "mosquitto");
            }
        }
        throw new IllegalStateException("the mosquitto broker binary was not found (looked in " + KNOWN_BINARIES + " and PATH); "
                + "install it, e.g. 'sudo apt-get install mosquitto' (CI's .ci/run does this)");
    }

    private void writeConfig() {
        try {
            Path persistence = Files.createDirectories(workDir.resolve("persistence"));
            // max_queued_messages 0 = unlimited: a head-end that is briefly slow or offline must not lose ciphertexts at the broker.
            // "user": started as root, mosquitto would otherwise switch to the "mosquitto" user, which cannot write the
            // persistence and log files in our (private) work dir; for any other user the setting has no effect.
            Files.writeString(configFile, """
                    user %s
                    listener %d 127.0.0.1
                    allow_anonymous true
                    persistence %s
                    persistence_location %s/
                    max_queued_messages 0
                    max_inflight_messages 0
                    log_dest file %s
                    log_type error
                    log_type warning
                    log_type notice
                    """.formatted(System.getProperty("user.name"), port, persistent, persistence, workDir.resolve("mosquitto.log")) + extraConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the mosquitto config in " + workDir, e);
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(binary.toString(), "-c", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("mosquitto.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        }
        awaitListening();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with code " + process.exitValue() + " right after start; see "
                        + workDir.resolve("mosquitto.log") + " and " + workDir.resolve("mosquitto.out"));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleepBriefly();
            }
        }
        stopProcess();
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mosquitto", e);
        }
    }

    /** Stops the broker (SIGTERM, so it saves its persistence file) and starts it again on the same port and data. */
    public void restart() {
        stopProcess();
        launch();
    }

    /** Kills the broker with SIGKILL, as a crash would: nothing saved, connections dropped without DISCONNECT. {@link #restart()} brings it back. */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Unix
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mosquitto did not die within 10 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing mosquitto", e);
        }
    }

    /** Stops the broker without restarting it; {@link #restart()} brings it back. */
    public void stop() {
        stopProcess();
    }

    private void stopProcess() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The running broker process (for its CPU time in benchmarks). */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    public int port() {
        return port;
    }

    @Override
    public String url() {
        return (tls ? "ssl://" : "tcp://") + "127.0.0.1:" + port;
    }

    /** The broker's log file (refused TLS handshakes and ACL denials are logged there). */
    public Path logFile() {
        return workDir.resolve("mosquitto.log");
    }

    @Override
    public void close() {
        stopProcess();
    }
}
