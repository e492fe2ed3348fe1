package org.psametering.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.psametering.protocol.PacketLimits;

/** The broker config the project ships must agree with the limit the clients advertise. */
class ShippedBrokerConfigTest {
    @Test
    void maxPacketSizeIsTheClientsLimit() throws Exception {
        Path config = Path.of("..", "config", "mosquitto", "mosquitto.conf");
        List<String> settings = Files.readAllLines(config).stream().map(String::strip)
                .filter(line -> line.startsWith("max_packet_size ")).toList();
        assertEquals(List.of("max_packet_size " + PacketLimits.CLIENT_MAX_PACKET_BYTES), settings, config.toAbsolutePath().toString());
    }
}
