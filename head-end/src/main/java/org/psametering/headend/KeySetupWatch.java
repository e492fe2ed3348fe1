package org.psametering.headend;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.psametering.headend.core.EpochKeySetup;
import org.psametering.headend.core.EpochPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a key setup that does not finish: once the newest epoch has been in setup longer than the group's
 * {@code keySetupWarnSeconds}, logs one warning naming what is missing and reports it in {@link GroupStatus}. The
 * start is when this head-end first saw the setup (creation, or restart), so a restart restarts the clock.
 */
final class KeySetupWatch {
    private static final Logger LOG = LoggerFactory.getLogger(KeySetupWatch.class);

    private final String group;
    private Duration warnAfter;
    private long epoch = -1;
    private Instant since;
    private boolean stalled;

    KeySetupWatch(String group, Duration warnAfter) {
        this.group = group;
        this.warnAfter = warnAfter;
    }

    void warnAfter(Duration duration) {
        warnAfter = duration;
    }

    void check(EpochKeySetup latest, Instant now) {
        if (!inSetup(latest)) {
            stalled = false;
            return;
        }
        if (latest.context().epoch() != epoch) {
            epoch = latest.context().epoch();
            since = now;
            stalled = false;
        }
        if (!stalled && Duration.between(since, now).compareTo(warnAfter) >= 0) {
            stalled = true;
            LOG.warn("group {}: key setup of epoch {} stalled: {} in phase {} with {}/{} public keys and {}/{} blinded keys",
                    group, epoch, Duration.between(since, now), latest.phase(), latest.publicKeysReceived(), latest.members().size(),
                    latest.blindedKeysReceived(), latest.members().size());
        }
    }

    Optional<Instant> stalledSince(EpochKeySetup latest) {
        return stalled && inSetup(latest) && latest.context().epoch() == epoch ? Optional.of(since) : Optional.empty();
    }

    private static boolean inSetup(EpochKeySetup setup) {
        return setup != null && (setup.phase() == EpochPhase.ANNOUNCED || setup.phase() == EpochPhase.KEYSET_PUBLISHED);
    }
}
