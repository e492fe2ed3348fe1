package org.psametering.headend;

import org.psametering.headend.core.StepResult;

/** Told of every result right after it is stored (on the head-end's core thread: return quickly). */
@FunctionalInterface
public interface ResultListener {
    void onResult(StepResult result);
}
