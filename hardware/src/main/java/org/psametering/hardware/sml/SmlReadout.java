package org.psametering.hardware.sml;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one SML telegram said.
 *
 * @param importMilliWattHours the meter's import register 1-0:1.8.0 in mWh (absolute meter reading)
 * @param powerWatts           instantaneous power 1-0:16.7.0; many meters send it only after the customer PIN
 *                             is entered, so it is often absent
 */
public record SmlReadout(OptionalLong importMilliWattHours, OptionalDouble powerWatts) {
}
