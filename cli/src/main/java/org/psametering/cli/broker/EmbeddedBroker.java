package org.psametering.cli.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition running inside this JVM: an MQTT 5 broker (with shared subscriptions) for the demo, so a newcomer
 * needs nothing but a JDK. It listens on localhost only, keeps its data in a temp dir, and logs warnings only (logback.xml).
 */
public final class EmbeddedBroker implements LocalBroker {
    private final EmbeddedHiveMQ hiveMq;
    private final String url;

    private EmbeddedBroker(EmbeddedHiveMQ hiveMq, String url) {
        this.hiveMq = hiveMq;
        this.url = url;
    }

    /** Starts a broker on a free localhost port with its files under {@code workDir}. */
    public static EmbeddedBroker start(Path workDir) {
        int port = FreePort.pick();
        try {
            Path config = Files.createDirectories(workDir.resolve("conf"));
            Path data = Files.createDirectories(workDir.resolve("data"));
            Path extensions = Files.createDirectories(workDir.resolve("extensions"));
            Files.writeString(config.resolve("config.xml"), configXml(port));
            EmbeddedHiveMQ hiveMq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(config)
                    .withDataFolder(data)
                    .withExtensionsFolder(extensions)
                    .withoutLoggingBootstrap()
                    .build();
            hiveMq.start().get(60, TimeUnit.SECONDS);
            return new EmbeddedBroker(hiveMq, "tcp://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's directory " + workDir, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("embedded MQTT broker did not start on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded MQTT broker", e);
        }
    }

    private static String configXml(int port) {
        // In-memory persistence: a demo broker's state is thrown away anyway, and it spares the disk.
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            hiveMq.stop().get(30, TimeUnit.SECONDS);
            hiveMq.close();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("embedded MQTT broker did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
