package org.psametering.headend.core;

/**
 * A message this head-end cannot judge (it names an epoch newer than any it knows: another instance, or a database
 * older than the broker's state, made that epoch). It is neither stored nor acknowledged, so the broker keeps it.
 */
public final class CannotJudge extends RuntimeException {
    public CannotJudge(String message) {
        super(message, null, false, false);
    }
}
