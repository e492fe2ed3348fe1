/**
 * Recovery of a time-step with missing meters (scheme v2, {@code PsaParameters.RECOVERABLE}): after the deadline the
 * head-end asks the reporting meters for F(rho_i, t), the PRF of their residual masks with the missing meters at this
 * one label, and decrypts the exact sum over the reporting set. Construction, exactness proof and privacy argument:
 * shared-crypto/README.md, section 11.
 *
 * <p>Meter side: {@link org.psametering.crypto.recovery.RecoveryPolicy#decide} (the rules that keep recovery from
 * leaking; persist {@link org.psametering.crypto.recovery.RecoveryPermit#record()} before answering), then
 * {@link org.psametering.crypto.recovery.RecoveryResponder#answer}. Head-end side:
 * {@link org.psametering.crypto.recovery.RecoveryAggregator#recover}. Pure: no I/O, no clocks, no threads.
 */
package org.psametering.crypto.recovery;
