package org.psametering.meter.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

class ConnectFailureTest {

    private static MqttException refusedHandshake() {
        SSLHandshakeException handshake = new SSLHandshakeException("(certificate_revoked) PKIX path validation failed");
        handshake.initCause(new java.security.cert.CertificateException("Certificate has been revoked"));
        return new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, handshake);
    }

    @Test
    void namesTheCauseThatPahoLeavesOut() {
        String why = ConnectFailure.describe(refusedHandshake());
        assertTrue(why.contains("certificate_revoked") && why.contains("Certificate has been revoked"), why);
        assertTrue(ConnectFailure.tlsRefusal(refusedHandshake()));
    }

    @Test
    void aMessageRepeatedByItsWrapperIsSaidOnce() {
        IOException refused = new IOException("Connection refused");
        String why = ConnectFailure.describe(new RuntimeException(refused)); // its message is the cause's toString
        assertEquals("java.io.IOException: Connection refused", why);
        assertFalse(ConnectFailure.tlsRefusal(new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, refused)));
    }

    @Test
    void aLossWithoutExceptionOrMessage() {
        assertEquals("connection lost", ConnectFailure.describe(null));
        assertEquals("connection lost", ConnectFailure.describe(new RuntimeException((String) null)));
    }
}
