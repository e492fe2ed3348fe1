package org.psametering.meter.mqtt;

/**
 * The state of a meter's broker link, for its status and logs.
 *
 * @param up             connected now
 * @param connects       connections made since start (the first one included)
 * @param failedConnects connect attempts that failed since start (broker unreachable, handshake refused, ...)
 * @param tlsRefusals    of those, attempts whose TLS handshake failed: a certificate refused by the meter (e.g. the
 *                       broker's is revoked) or by the broker; these do not go away by retrying
 * @param lastFailure    why the newest attempt failed or the link was lost, with the cause (no secrets), or "" if none
 */
public record LinkStatus(boolean up, long connects, long failedConnects, long tlsRefusals, String lastFailure) {

    public LinkStatus {
        java.util.Objects.requireNonNull(lastFailure, "lastFailure");
    }
}
