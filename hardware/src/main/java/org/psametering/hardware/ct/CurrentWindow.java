package org.psametering.hardware.ct;

/**
 * The result of one sampling window.
 *
 * @param samples  conversions read
 * @param rmsVolts AC RMS voltage across the burden
 * @param amps     RMS primary current after calibration and noise floor
 * @param watts    estimated power (amps x mains volts x power factor)
 */
public record CurrentWindow(int samples, double rmsVolts, double amps, double watts) {
}
