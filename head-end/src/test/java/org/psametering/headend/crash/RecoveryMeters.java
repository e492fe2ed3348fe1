package org.psametering.headend.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.Topic;
import org.psametering.protocol.TopicKind;
import org.psametering.protocol.Topics;

/**
 * The meters' side of recovery for the crash scenarios, as strict as the real meter: a member answers a request for
 * an (epoch, label) at most once, the first time it sees one (a repeated request gets nothing, so the head-end must
 * keep the answers it acknowledged), and a second, different request for a label it saw is a violation (the real
 * meter refuses it; a head-end that sends one broke the one-request-per-label rule). An answer is computed when the
 * request is seen and held "in the network" until the scenario releases it, so the flows can be ordered. A meter
 * missing at a label can be made to send its ciphertext late: only once it saw the request, so it always comes after
 * the request (the head-end must refuse it).
 */
final class RecoveryMeters {
    private record Held(long label, String meter, String topic, byte[] payload) {
    }

    private final String group;
    private final FakeBroker broker;
    private final SimulatedMeters meters;
    private final Set<String> mute = new HashSet<>();
    private final Map<String, byte[]> requests = new HashMap<>();
    private final Set<String> answered = new HashSet<>();
    private final List<Held> held = new ArrayList<>();
    /** "label/meter" (or "label/*"): held messages of these go out at once. */
    private final Set<String> released = new HashSet<>();
    private final Map<Long, String> lateOnRequest = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int seen;

    RecoveryMeters(String group, FakeBroker broker, SimulatedMeters meters) {
        this.group = group;
        this.broker = broker;
        this.meters = meters;
    }

    /** {@code meter} never answers a request for {@code label} (it vanished). */
    void mute(long label, String meter) {
        mute.add(label + "/" + meter);
    }

    /** {@code meter}, missing at {@code label}, sends its ciphertext when it sees the label's request (held as an answer). */
    void lateOnRequest(long label, String meter) {
        lateOnRequest.put(label, meter);
    }

    /** Reacts to the recovery requests the head-end published since the last call. */
    void react() {
        List<FakeBroker.Publication> all = broker.published();
        for (; seen < all.size(); seen++) {
            FakeBroker.Publication p = all.get(seen);
            if (!p.topic().endsWith("/recovery")) {
                continue;
            }
            Topic topic = Topics.parse(p.topic());
            if (topic.kind() != TopicKind.RECOVERY || !topic.group().equals(group)) {
                continue;
            }
            RecoveryRequestMessage request = RecoveryRequestMessage.fromJson(p.payload());
            String step = request.epoch() + "/" + request.label();
            byte[] first = requests.putIfAbsent(step, p.payload().clone());
            if (first != null && !Arrays.equals(first, p.payload())) {
                violations.add("two different recovery requests for " + step + ": " + new String(first) + " then "
                        + new String(p.payload()));
                continue;
            }
            String late = lateOnRequest.remove(request.label());
            if (late != null) {
                held.add(new Held(request.label(), late, Topics.ciphertext(group, request.epoch(), late),
                        meters.latePayload(request.label(), late)));
            }
            for (String member : meters.members(request.epoch())) {
                if (request.missing().contains(member) || mute.contains(request.label() + "/" + member)
                        || !answered.add(step + "/" + member)) {
                    continue;
                }
                byte[] answer = meters.meter(request.epoch(), member).recoveryAnswerPayload(p.payload());
                held.add(new Held(request.label(), member, Topics.recoveryAnswer(group, request.epoch(), member), answer));
            }
            sendReleased();
        }
    }

    /**
     * The messages for {@code label} of {@code meter} (all meters if null) reach the broker: those held now, and those
     * made later (a request that is published only later, after a failure or restart, is answered at once).
     */
    void release(long label, String meter) {
        released.add(label + "/" + (meter == null ? "*" : meter));
        sendReleased();
    }

    private void sendReleased() {
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (released.contains(h.label() + "/*") || released.contains(h.label() + "/" + h.meter())) {
                broker.fromMeter(h.topic(), h.payload(), false);
                it.remove();
            }
        }
    }

    /** The request the meters first saw for a label, or null. */
    RecoveryRequestMessage requestFor(long epoch, long label) {
        byte[] json = requests.get(epoch + "/" + label);
        return json == null ? null : RecoveryRequestMessage.fromJson(json);
    }

    Set<Long> requestedLabels() {
        Set<Long> labels = new HashSet<>();
        requests.keySet().forEach(k -> labels.add(Long.parseLong(k.substring(k.indexOf('/') + 1))));
        return labels;
    }

    List<String> violations() {
        return List.copyOf(violations);
    }
}
