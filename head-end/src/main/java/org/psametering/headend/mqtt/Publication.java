package org.psametering.headend.mqtt;

/** One message the head-end wants published (QoS 1). */
record Publication(String topic, byte[] payload, boolean retained) {
}
