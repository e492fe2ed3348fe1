package org.psametering.hardware;

/**
 * A source of cumulative energy for one household connection.
 *
 * <p>Readings are cumulative so that the meter derives per-step energy as a difference of two readings: a missed
 * read then loses no energy, it only moves it into the next step.
 */
public interface EnergySensor extends AutoCloseable {

    /**
     * The energy counted since the sensor was opened, stamped with the sensor's clock.
     *
     * @throws SensorException when the hardware cannot be read
     */
    EnergyReading read();

    /** Releases the hardware and stops any sampling thread; reading afterwards throws {@link IllegalStateException}. */
    @Override
    void close();
}
