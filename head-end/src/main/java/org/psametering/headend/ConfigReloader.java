package org.psametering.headend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.psametering.headend.config.ConfigException;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.HeadEndConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration while the head-end runs (SIGHUP, {@code POST /admin/reload}). The whole file is read
 * and checked first; an invalid one is refused with the loader's message, counted and logged, and the configuration
 * in force stays. A valid one applies every changed group in one task on the core thread, through the same path
 * as a start ({@code HeadEndCore.reconfigure}): a changed member list, parameter set or step length re-keys.
 * Removing a group is refused (its epochs would need retiring, which only a restart without it does). Settings
 * outside {@code groups} are reported as needing a restart and otherwise left alone. Every reload also looks at the
 * CRL file first ({@link #alsoOnReload}): a meter revoked since is refused from then on.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Supplier<HeadEndConfig> source;
    private final Consumer<List<GroupSettings>> applyGroups;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private HeadEndConfig current;
    private Runnable alsoOnReload = () -> { };

    /**
     * @param source      reads and validates the configuration file again (throws {@link ConfigException})
     * @param applyGroups applies changed groups on the core thread and waits for it
     */
    public ConfigReloader(HeadEndConfig current, Supplier<HeadEndConfig> source, Consumer<List<GroupSettings>> applyGroups) {
        this.current = current;
        this.source = source;
        this.applyGroups = applyGroups;
    }

    /** Something to refresh on every reload before the file is read (the CRL: it is not part of the file). */
    public void alsoOnReload(Runnable action) {
        this.alsoOnReload = Objects.requireNonNull(action, "action");
    }

    /** Reloads; {@code trigger} names what asked (for the log). Never throws: a failure is the result. */
    public synchronized ReloadResult reload(String trigger) {
        try {
            alsoOnReload.run();
        } catch (RuntimeException e) {
            LOG.error("configuration reload ({}): refreshing the CRL failed", trigger, e);
        }
        HeadEndConfig next;
        try {
            next = source.get();
        } catch (ConfigException e) {
            return refuse(trigger, "invalid configuration, the running one stays in force: " + e.getMessage());
        }
        Map<String, GroupSettings> old = current.groups().stream().collect(Collectors.toMap(GroupSettings::id, Function.identity()));
        Set<String> nextIds = new HashSet<>();
        next.groups().forEach(g -> nextIds.add(g.id()));
        List<String> removed = old.keySet().stream().filter(id -> !nextIds.contains(id)).sorted().toList();
        if (!removed.isEmpty()) {
            return refuse(trigger, "groups " + removed + " are missing from the new configuration; removing a group at run time is "
                    + "not supported (restart without it); the running configuration stays in force");
        }
        List<GroupSettings> changed = next.groups().stream().filter(g -> !g.equals(old.get(g.id()))).toList();
        List<String> needRestart = needRestart(current, next);
        try {
            if (!changed.isEmpty()) {
                applyGroups.accept(changed);
            }
        } catch (RuntimeException e) {
            return refuse(trigger, "applying the new configuration failed: " + e.getMessage());
        }
        current = current.withGroups(next.groups());
        applied.incrementAndGet();
        List<String> ids = changed.stream().map(GroupSettings::id).toList();
        String message = changed.isEmpty() ? "no group changed" : "applied to groups " + ids;
        if (!needRestart.isEmpty()) {
            message += "; changed but only applied at the next start: " + needRestart;
        }
        LOG.info("configuration reload ({}): {}", trigger, message);
        return new ReloadResult(true, message, ids, needRestart);
    }

    private ReloadResult refuse(String trigger, String message) {
        refused.incrementAndGet();
        LOG.error("configuration reload ({}) refused: {}", trigger, message);
        return ReloadResult.refused(message);
    }

    private static List<String> needRestart(HeadEndConfig a, HeadEndConfig b) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(a.dataDir(), b.dataDir())) {
            out.add("dataDir");
        }
        if (!Objects.equals(a.mqtt(), b.mqtt())) {
            out.add("mqtt");
        }
        if (!Objects.equals(a.storage(), b.storage())) {
            out.add("storage");
        }
        if (!Objects.equals(a.http(), b.http())) {
            out.add("http");
        }
        if (!Objects.equals(a.tickMillis(), b.tickMillis())) {
            out.add("tickMillis");
        }
        return out;
    }

    /** Reloads applied since start. */
    public long applied() {
        return applied.get();
    }

    /** Reloads refused since start (invalid file, removed group, failure while applying). */
    public long refused() {
        return refused.get();
    }
}
