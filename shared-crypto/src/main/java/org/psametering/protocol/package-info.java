/**
 * The MQTT protocol between meters and the head-end: topic names and the codecs of every payload.
 *
 * <p>Pure: bytes in, bytes out, no I/O and no threads, so both applications and the tests use exactly the same
 * encodings. The normative description is {@code docs/protocol.md}; every payload carries a version number and
 * parsing is strict (unknown versions, missing or extra fields, wrong lengths are rejected with a
 * {@link org.psametering.protocol.MalformedMessageException} that names what is wrong).
 */
package org.psametering.protocol;
