package org.psametering.cli.compare;

/**
 * What one scheme cost on the shared scenario. Times are wall-clock milliseconds on this machine.
 *
 * @param setupAllClientsMs       every client's key setup with the others (pairwise X25519 + mask derivation), summed
 * @param keyDerivationMs         turning the clients' key material into the decryptor's key (shares + combination)
 * @param encryptPerClientMs      mean time of one client's encryption of one reading
 * @param decryptPerLabelMs       mean time to recover one label's sum from the N ciphertexts
 * @param oneOffDecryptorSetupMs  decryptor precomputation reused for every label (DMCFE: the baby-step table)
 * @param ciphertextBytes         one encoded ciphertext as sent by a client
 * @param clientSecretBytes       the scheme's secret state of one client (excluding its 32-byte X25519 key)
 * @param keyShareBytes           what one client sends once so the decryptor can build its key
 * @param largestSum              largest sum this configuration decrypts
 * @param wrongSums               labels whose decrypted sum differed from the true sum (or failed to decrypt)
 */
public record SchemeFigures(
        String scheme,
        String parameters,
        double setupAllClientsMs,
        double keyDerivationMs,
        double encryptPerClientMs,
        double decryptPerLabelMs,
        double oneOffDecryptorSetupMs,
        int ciphertextBytes,
        int clientSecretBytes,
        int keyShareBytes,
        long largestSum,
        int wrongSums) {
}
