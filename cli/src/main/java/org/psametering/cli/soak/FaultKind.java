package org.psametering.cli.soak;

/** What the soak does to the running system. */
public enum FaultKind {
    /** SIGKILL of the (persistent) Mosquitto broker, restarted on the same port and data after a random outage. */
    BROKER_KILL,
    /** A meter stopped as a crash would leave it (link dropped, unsaved acknowledgements lost) and started again. */
    METER_CRASH,
    /** One meter's TCP link to the broker cut and restored later. */
    METER_LINK_LOSS,
    /** The head-end's TCP link to the broker cut and restored later. */
    HEAD_END_LINK_LOSS,
    /** A burst of garbage, oversized, forged and replayed messages from an outside MQTT client. */
    HOSTILE_BURST
}
