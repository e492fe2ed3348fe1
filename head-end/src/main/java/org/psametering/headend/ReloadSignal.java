package org.psametering.headend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the configuration, as daemons conventionally do. {@code sun.misc.Signal} (module jdk.unsupported,
 * present and working in JDK 21 and 25) is the only way the JDK offers; it replaces the JVM's own HUP handler, so a
 * HUP no longer stops the process (TERM and INT still run the shutdown hooks). The reload runs on a thread of its
 * own: the JVM's single signal-dispatch thread also runs the shutdown on TERM and must not wait for the core.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);
    static final String NAME = "HUP";

    private ReloadSignal() {
    }

    /**
     * Installs the handler; returns the one it replaced (for tests), or null if SIGHUP cannot reach it. A process
     * started with SIGHUP ignored (under {@code nohup}, say) keeps it ignored: the JVM does not install a handler for
     * an ignored HUP and reports the old disposition instead, so a reload by signal would silently do nothing.
     */
    static SignalHandler install(Runnable reload) {
        try {
            SignalHandler previous = Signal.handle(new Signal(NAME), signal -> Thread.ofPlatform().name("psa-config-reload").start(() -> {
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    LOG.error("configuration reload on SIGHUP failed: {}", e.toString(), e);
                }
            }));
            if (previous == SignalHandler.SIG_IGN) {
                LOG.warn("SIGHUP is ignored by this process (started under nohup?), so it cannot reload the configuration;"
                        + " use POST /admin/reload");
                return null;
            }
            return previous;
        } catch (IllegalArgumentException e) {
            // e.g. started with -Xrs, or a platform without SIGHUP: the HTTP admin call still works
            LOG.warn("SIGHUP reload not available ({}); use POST /admin/reload", e.getMessage());
            return null;
        }
    }
}
