package org.psametering.headend.crash;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the head-end's side effects (database commits, publications, acknowledgements) and "crashes" the process
 * once, just before or just after the N-th one. With no N armed it only counts and records which flow each call
 * belongs to, so a clean run tells how many crash points each flow has.
 */
final class CrashPoints {
    enum When { BEFORE, AFTER }

    /** CRASH: the process dies at the point. FAIL: the side effect fails (SQLException, or the publish throws) and the process goes on. */
    enum Mode { CRASH, FAIL }

    interface Effect {
        void run() throws Exception;
    }

    private int calls;
    private int crashAt = -1;
    private When when = When.BEFORE;
    private Mode mode = Mode.CRASH;
    private boolean fired;
    private String flow = "start";
    private final List<String> flows = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();
    private final List<String> sites = new ArrayList<>();

    static CrashPoints countOnly() {
        return new CrashPoints();
    }

    static CrashPoints crashAt(int call, When when) {
        CrashPoints points = new CrashPoints();
        points.crashAt = call;
        points.when = when;
        return points;
    }

    /** The N-th side effect fails instead of happening (commits and publications; an ack never fails here). */
    static CrashPoints failAt(int call) {
        CrashPoints points = crashAt(call, When.BEFORE);
        points.mode = Mode.FAIL;
        return points;
    }

    void flow(String name) {
        flow = name;
    }

    /** The flow the next side effects belong to. */
    String flow() {
        return flow;
    }

    /** Runs one side effect, crashing around it if it is the armed one. */
    void call(String kind, Effect effect) throws Exception {
        call(kind, kind, effect);
    }

    /**
     * As {@link #call(String, Effect)}; {@code site} says where (e.g. the topic with the meter id left out), so that a
     * sweep can tell a run of the same side effect for one meter after another ({@link CrashSweep.Thinning}).
     */
    void call(String kind, String site, Effect effect) throws Exception {
        calls++;
        flows.add(flow);
        kinds.add(kind);
        sites.add(site);
        boolean armed = !fired && calls == crashAt;
        if (armed && mode == Mode.FAIL) {
            fired = true;
            if (kind.equals("commit")) {
                throw new java.sql.SQLException("simulated failure of commit #" + calls);
            }
            if (kind.equals("publish")) {
                throw new IllegalStateException("simulated failure of publish #" + calls);
            }
            effect.run(); // an ack cannot fail in a way the head-end would see
            return;
        }
        if (armed && when == When.BEFORE) {
            fired = true;
            throw new SimulatedCrash("before " + kind + " #" + calls);
        }
        effect.run();
        if (armed) {
            fired = true;
            throw new SimulatedCrash("after " + kind + " #" + calls);
        }
    }

    void callUnchecked(String kind, Runnable effect) {
        callUnchecked(kind, kind, effect);
    }

    void callUnchecked(String kind, String site, Runnable effect) {
        try {
            call(kind, site, effect::run);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    boolean failing() {
        return mode == Mode.FAIL;
    }

    boolean fired() {
        return fired;
    }

    int calls() {
        return calls;
    }

    /** The flow of each call, index 0 for call 1. */
    List<String> flows() {
        return List.copyOf(flows);
    }

    List<String> kinds() {
        return List.copyOf(kinds);
    }

    /** The site of each call, index 0 for call 1. */
    List<String> sites() {
        return List.copyOf(sites);
    }

    /** A topic as a site: a per-meter topic without its meter id (psa/v1/g/0/keyset/*), a deletion marked as one. */
    static String site(String kind, String topic, byte[] payload) {
        String[] levels = topic.split("/");
        String where = levels.length == 6 ? topic.substring(0, topic.lastIndexOf('/')) + "/*" : topic;
        return kind + " " + where + (payload != null && payload.length == 0 ? " (delete)" : "");
    }
}
