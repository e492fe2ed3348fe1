package org.psametering.hardware;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;

/** A Pi4J context on the mock plugin's providers only, so no test can reach real hardware. */
public final class MockPi4j {

    private MockPi4j() {
    }

    public static Context context() {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(MockDigitalInputProvider.newInstance(), MockI2CProvider.newInstance())
                .build();
    }
}
