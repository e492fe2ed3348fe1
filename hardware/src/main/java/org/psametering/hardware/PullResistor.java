package org.psametering.hardware;

/** The GPIO input's internal bias resistor, as named in meter.yaml ({@code up}, {@code down}, {@code off}). */
public enum PullResistor {
    UP, DOWN, OFF
}
