package org.psametering.cli.compare;

import java.io.PrintStream;
import java.util.Locale;

/** Where the comparison reports what it is doing; long phases report fractions so a user sees it is alive. */
interface Progress {

    Progress SILENT = new Progress() {
        @Override
        public void phase(String scheme, String phase) {
        }

        @Override
        public void step(String scheme, String phase, long done, long total) {
        }
    };

    void phase(String scheme, String phase);

    void step(String scheme, String phase, long done, long total);

    /** Lines on a stream (stderr): every phase, and within a phase at most one line per second. */
    static Progress to(PrintStream out) {
        return new Progress() {
            private static final long INTERVAL_NANOS = 1_000_000_000L;
            private long lastLine = System.nanoTime();

            @Override
            public void phase(String scheme, String phase) {
                out.printf("[%s] %s%n", scheme, phase);
                lastLine = System.nanoTime();
            }

            @Override
            public void step(String scheme, String phase, long done, long total) {
                long now = System.nanoTime();
                if (now - lastLine >= INTERVAL_NANOS) {
                    lastLine = now;
                    out.printf(Locale.ROOT, "[%s]   %s %d%% (%d/%d)%n", scheme, phase, 100 * done / Math.max(1, total),
                            done, total);
                }
            }
        };
    }
}
