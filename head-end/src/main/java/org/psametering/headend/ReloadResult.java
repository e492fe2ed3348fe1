package org.psametering.headend;

import java.util.List;

/**
 * The outcome of a configuration reload (SIGHUP or {@code POST /admin/reload}).
 *
 * @param applied       false: the new file was refused and the old configuration stays in force
 * @param message       what happened, or why it was refused
 * @param groupsChanged groups whose settings changed (each one re-keyed if its member list, parameters or step did)
 * @param needRestart   settings that changed in the file but only take effect at the next start
 */
public record ReloadResult(boolean applied, String message, List<String> groupsChanged, List<String> needRestart) {
    public ReloadResult {
        groupsChanged = List.copyOf(groupsChanged);
        needRestart = List.copyOf(needRestart);
    }

    static ReloadResult refused(String message) {
        return new ReloadResult(false, message, List.of(), List.of());
    }
}
