package org.psametering.meter.agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.psametering.meter.outbox.OutboxCodec;
import org.psametering.meter.outbox.OutboxEntry;
import org.psametering.meter.outbox.OutboxStore;
import org.psametering.meter.store.MeterState;
import org.psametering.meter.store.MeterStateCodec;
import org.psametering.meter.store.StateStore;

/**
 * One meter's "disk" for crash-point tests: the state file and the outbox file as the bytes their codecs write. Once
 * {@link #arm armed}, the N-th write "crashes" the process ({@link GroupHarness.SimulatedCrash}), either before the
 * bytes reach the disk or just after (both are possible with an atomic rename: the old or the new file survives).
 *
 * <p>It also checks, on every outbox write, that an entry leaves the persisted outbox only after the broker
 * acknowledged it.
 */
final class CrashDisk {

    enum When { BEFORE_WRITE, AFTER_WRITE }

    private final Set<String> acknowledged;
    private int crashAt = -1;
    private When when = When.BEFORE_WRITE;
    private int writes;
    private boolean crashed;
    private byte[] state;
    private byte[] outbox;
    /** (topic, label) of every entry that was ever durably queued. */
    final Set<String> everQueued = new HashSet<>();
    /** "epoch/label/digest" of every recovery answer recorded in a state file that reached the disk. */
    final Set<String> everRecordedAnswered = new HashSet<>();
    final List<String> violations = new ArrayList<>();

    /** @param acknowledged {@link #key} of every message the broker acknowledged so far */
    CrashDisk(Set<String> acknowledged) {
        this.acknowledged = acknowledged;
    }

    static String answered(long epoch, long label, byte[] digest) {
        return epoch + "/" + label + "/" + java.util.HexFormat.of().formatHex(digest);
    }

    /** The "epoch/label/digest" a recovery answer frame on {@code topic} answers (its body read without the tag). */
    static String answered(String topic, byte[] payload) {
        byte[] body = org.psametering.protocol.RecoveryAnswerMessage.parse(payload).answerEncoding();
        var answer = org.psametering.crypto.wire.Encodings.decodeRecoveryAnswer(body,
                org.psametering.crypto.psa.PsaParameters.RECOVERABLE);
        return answered(org.psametering.protocol.Topics.parse(topic).epoch(), answer.label(), answer.requestDigest());
    }

    static String key(String topic, long label) {
        return topic + "#" + label;
    }

    /** From now on, the {@code n}-th write (1-based) crashes. */
    void arm(int n, When at) {
        crashAt = n;
        when = at;
        writes = 0;
    }

    boolean crashed() {
        return crashed;
    }

    int writesSinceArmed() {
        return writes;
    }

    private void write(Runnable persist) {
        writes++;
        if (crashAt > 0 && !crashed && writes == crashAt) {
            crashed = true;
            if (when == When.AFTER_WRITE) {
                persist.run();
            }
            throw new GroupHarness.SimulatedCrash();
        }
        persist.run();
    }

    final StateStore stateStore = new StateStore() {
        @Override
        public Optional<MeterState> load() {
            return Optional.ofNullable(state).map(MeterStateCodec::decode); // throws if the file were torn
        }

        @Override
        public void save(MeterState next) {
            byte[] bytes = MeterStateCodec.encode(next);
            write(() -> {
                state = bytes;
                for (var epoch : next.epochs()) {
                    epoch.lastRecovery().ifPresent(r -> everRecordedAnswered.add(answered(r.epoch(), r.label(), r.requestDigest())));
                }
            });
        }
    };

    final OutboxStore outboxStore = new OutboxStore() {
        @Override
        public List<OutboxEntry> load() {
            return outbox == null ? List.of() : OutboxCodec.decode(outbox);
        }

        @Override
        public void save(List<OutboxEntry> entries) {
            byte[] bytes = OutboxCodec.encode(entries);
            write(() -> {
                Set<String> now = new HashSet<>();
                entries.forEach(e -> now.add(key(e.topic(), e.label())));
                for (OutboxEntry old : load()) {
                    if (!now.contains(key(old.topic(), old.label())) && !acknowledged.contains(key(old.topic(), old.label()))) {
                        violations.add("label " + old.label() + " left the outbox without a broker acknowledgement");
                    }
                }
                for (OutboxEntry e : entries) {
                    everQueued.add(key(e.topic(), e.label()));
                    if (e.topic().contains("/answer/")) {
                        // persist-before-queue: the state on disk must already say this request was answered
                        String answered = answered(e.topic(), e.payload());
                        if (!everRecordedAnswered.contains(answered)) {
                            violations.add("answer " + answered + " queued before its record reached the disk");
                        }
                    }
                }
                outbox = bytes;
            });
        }
    };
}
