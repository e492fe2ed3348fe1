package org.psametering.headend.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.psametering.crypto.psa.Ciphertext;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.core.PendingCiphertext;

/**
 * Run by {@link FullDiskTest} in a child JVM under a file-size limit: stores ciphertext batches as the ingest path
 * does until the store fails, printing {@code STORED <batch>} for each batch whose insert returned (the point where
 * the head-end would acknowledge it) and {@code FAILED <message>} for the failure.
 */
public final class FullDiskChild {
    private FullDiskChild() {
    }

    public static void main(String[] args) {
        try (Database db = Database.open(StorageSettings.defaults(), Path.of(args[0]))) {
            CiphertextStore store = new CiphertextStore(db);
            for (int batch = 0; batch < 100_000; batch++) {
                List<PendingCiphertext> cts = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    cts.add(new PendingCiphertext("g", 0, "m" + i, new Ciphertext(batch, batch * 7919L + i, i * 104729L + batch)));
                }
                try {
                    store.insert(cts);
                } catch (StorageException e) {
                    System.out.println("FAILED " + e.getMessage());
                    System.out.flush();
                    Runtime.getRuntime().halt(0); // like a crash: no clean close that could write more
                }
                System.out.println("STORED " + batch);
                System.out.flush();
            }
        }
        System.out.println("NEVER FULL");
    }
}
