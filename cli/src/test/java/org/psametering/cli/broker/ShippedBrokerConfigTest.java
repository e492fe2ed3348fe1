package org.psametering.cli.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void tlsConfigRequiresClientCertificatesAndAppliesTheAclToTheirCommonName() throws Exception {
        Path config = Path.of("..", "config", "mosquitto", "tls.conf");
        List<String> settings = Files.readAllLines(config).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        for (String required : List.of("listener 8883", "require_certificate true", "use_identity_as_username true",
                "tls_version tlsv1.3", "allow_anonymous false", "acl_file config/mosquitto/acl", "crlfile pki/ca/crl.pem",
                "max_packet_size " + PacketLimits.CLIENT_MAX_PACKET_BYTES)) {
            assertTrue(settings.contains(required), required + " in " + config.toAbsolutePath());
        }
        assertTrue(settings.stream().noneMatch(line -> line.startsWith("password_file")), "the certificate is the identity");
    }
}
