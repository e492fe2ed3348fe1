package org.psametering.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrokerUrlsTest {

    @Test
    void loopbackIsDecidedFromTheTextAlone() {
        for (String url : new String[] {"tcp://localhost:1883", "tcp://127.0.0.1:1883", "tcp://127.1.2.3:1", "tcp://[::1]:1883",
                "tcp://LOCALHOST:1883"}) {
            assertTrue(BrokerUrls.isLoopback(url), url);
        }
        for (String url : new String[] {"tcp://192.168.1.10:1883", "tcp://broker.example:1883", "tcp://127.0.0.1.evil.example:1883",
                "tcp://localhost.evil.example:1", "not a url"}) {
            assertFalse(BrokerUrls.isLoopback(url), url);
        }
    }

    @Test
    void warnsOnlyForPlainTextToAnotherMachine() {
        assertTrue(BrokerUrls.plainTextWarning("tcp://10.0.0.5:1883").orElseThrow().contains("10.0.0.5"));
        assertTrue(BrokerUrls.plainTextWarning("ws://broker.example:80").isPresent());
        assertEquals(Optional.empty(), BrokerUrls.plainTextWarning("tcp://127.0.0.1:1883"));
        assertEquals(Optional.empty(), BrokerUrls.plainTextWarning("ssl://broker.example:8883"));
        assertEquals(Optional.empty(), BrokerUrls.plainTextWarning("wss://broker.example:443"));
    }
}
