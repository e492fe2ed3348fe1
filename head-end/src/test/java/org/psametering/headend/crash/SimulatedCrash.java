package org.psametering.headend.crash;

/**
 * The head-end process dies here. An {@link Error}, so no handler in the code under test that catches
 * RuntimeException or StorageException can swallow it: like a kill, nothing after this point runs.
 */
final class SimulatedCrash extends Error {
    SimulatedCrash(String where) {
        super(where, null, false, false);
    }
}
