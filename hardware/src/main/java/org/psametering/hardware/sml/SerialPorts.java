package org.psametering.hardware.sml;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import org.psametering.hardware.SensorException;
import org.psametering.hardware.SmlSensorConfig;

/** Opens an IR read head's serial port with jSerialComm: 8N1 at the configured rate, blocking reads with a timeout. */
public final class SerialPorts {

    private static final int READ_TIMEOUT_MILLIS = 500;

    private SerialPorts() {
    }

    public static SmlSensor openSml(SmlSensorConfig config, java.time.Clock clock) {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(config.serialPort());
        } catch (SerialPortInvalidPortException e) {
            throw new SensorException("sensor.serialPort: " + config.serialPort() + " is not a serial port: " + e.getMessage(), e);
        }
        port.setComPortParameters(config.baudRate(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MILLIS, 0);
        if (!port.openPort()) {
            throw new SensorException("sensor.serialPort: cannot open " + config.serialPort() + " (error " + port.getLastErrorCode()
                    + "; does it exist and is this user in the dialout group?)");
        }
        return new SmlSensor(port.getInputStream(), port::closePort, config, clock).start();
    }
}
