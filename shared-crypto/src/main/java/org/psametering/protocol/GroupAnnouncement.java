package org.psametering.protocol;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.psametering.crypto.keysetup.GraphSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Retained payload of {@code psa/v1/{group}/announce} (JSON, version 1).
 *
 * @param params           name of the PSA parameter set ({@code PsaParameters.byName})
 * @param stepSeconds      time-step length; label t = floor(unix seconds / stepSeconds)
 * @param members          sorted meter ids of this epoch
 * @param headEndPublicKey shared-crypto wire encoding of the head-end's X25519 key for this epoch, used to derive
 *                         each meter's {@link MessageKey}
 * @param activeFromLabel  present iff {@code phase == ACTIVE}: the first label to encrypt under this epoch
 * @param maskGraph        the sparse mask graph's seed and threshold (shared-crypto README section 13); empty = the
 *                         complete graph of section 5 (optional JSON field {@code maskGraph}, so announcements without
 *                         it keep their meaning and the version stays 1)
 */
public record GroupAnnouncement(String group, long epoch, String params, int stepSeconds, List<String> members,
                                byte[] headEndPublicKey, GroupPhase phase, OptionalLong activeFromLabel,
                                Optional<GraphSpec> maskGraph) {
    private static final String WHAT = "announcement";
    private static final Set<String> FIELDS = Set.of("group", "epoch", "params", "stepSeconds", "members",
            "headEndPublicKey", "state", "activeFromLabel", "maskGraph");
    private static final Set<String> GRAPH_FIELDS = Set.of("kind", "seed", "threshold");

    /** A complete-graph announcement (no maskGraph field). */
    public GroupAnnouncement(String group, long epoch, String params, int stepSeconds, List<String> members,
                             byte[] headEndPublicKey, GroupPhase phase, OptionalLong activeFromLabel) {
        this(group, epoch, params, stepSeconds, members, headEndPublicKey, phase, activeFromLabel, Optional.empty());
    }

    public GroupAnnouncement {
        ProtocolIds.require("group id", group);
        if (epoch < 0) {
            throw new MalformedMessageException(WHAT + ": epoch must be >= 0, got " + epoch);
        }
        if (params == null || params.isBlank()) {
            throw new MalformedMessageException(WHAT + ": params name is empty");
        }
        if (stepSeconds < 1 || stepSeconds > 86_400) {
            throw new MalformedMessageException(WHAT + ": stepSeconds must be 1..86400, got " + stepSeconds);
        }
        members = ProtocolJson.requireSortedMeterIds(WHAT, members);
        if (headEndPublicKey == null || headEndPublicKey.length == 0) {
            throw new MalformedMessageException(WHAT + ": headEndPublicKey is empty");
        }
        headEndPublicKey = headEndPublicKey.clone();
        if (phase == null) {
            throw new MalformedMessageException(WHAT + ": state is missing");
        }
        if ((phase == GroupPhase.ACTIVE) != activeFromLabel.isPresent()) {
            throw new MalformedMessageException(WHAT + ": activeFromLabel must be present exactly when state is ACTIVE");
        }
        if (activeFromLabel.isPresent() && activeFromLabel.getAsLong() < 0) {
            throw new MalformedMessageException(WHAT + ": activeFromLabel must be >= 0");
        }
        if (maskGraph == null) {
            throw new MalformedMessageException(WHAT + ": maskGraph is null (use Optional.empty() for the complete graph)");
        }
        if (maskGraph.isPresent() && members.size() < 2) {
            throw new MalformedMessageException(WHAT + ": a sparse mask graph needs at least 2 members");
        }
    }

    /** Whether the group masks over the sparse graph of shared-crypto README section 13. */
    public boolean sparse() {
        return maskGraph.isPresent();
    }

    @Override
    public byte[] headEndPublicKey() {
        return headEndPublicKey.clone();
    }

    /** The same epoch, now active from {@code label} on. */
    public GroupAnnouncement activate(long label) {
        return new GroupAnnouncement(group, epoch, params, stepSeconds, members, headEndPublicKey, GroupPhase.ACTIVE,
                OptionalLong.of(label), maskGraph);
    }

    public byte[] toJson() {
        ObjectNode node = ProtocolJson.newMessage();
        node.put("group", group).put("epoch", epoch).put("params", params).put("stepSeconds", stepSeconds);
        ArrayNode list = node.putArray("members");
        members.forEach(list::add);
        node.put("headEndPublicKey", Base64.getEncoder().encodeToString(headEndPublicKey));
        node.put("state", phase.name());
        activeFromLabel.ifPresent(label -> node.put("activeFromLabel", label));
        maskGraph.ifPresent(graph -> node.putObject("maskGraph").put("kind", "sparse")
                .put("seed", Base64.getEncoder().encodeToString(graph.seed()))
                .put("threshold", Long.toUnsignedString(graph.threshold())));
        return ProtocolJson.bytes(node);
    }

    /** Strict parse; throws {@link MalformedMessageException} naming the bad field. */
    public static GroupAnnouncement fromJson(byte[] payload) {
        JsonNode node = ProtocolJson.readMessage(WHAT, payload, FIELDS);
        OptionalLong active = node.has("activeFromLabel")
                ? OptionalLong.of(ProtocolJson.integer(WHAT, node, "activeFromLabel")) : OptionalLong.empty();
        return new GroupAnnouncement(
                ProtocolJson.text(WHAT, node, "group"),
                ProtocolJson.integer(WHAT, node, "epoch"),
                ProtocolJson.text(WHAT, node, "params"),
                ProtocolJson.int32(WHAT, node, "stepSeconds"),
                ProtocolJson.ids(WHAT, node, "members"),
                ProtocolJson.base64(WHAT, node, "headEndPublicKey"),
                ProtocolJson.enumValue(WHAT, node, "state", GroupPhase.class),
                active,
                node.has("maskGraph") ? Optional.of(graph(node.get("maskGraph"))) : Optional.empty());
    }

    /** {"kind":"sparse","seed":base64 of 32 bytes,"threshold":"unsigned 64-bit decimal"}: exactly these fields. */
    private static GraphSpec graph(JsonNode node) {
        String what = WHAT + " maskGraph";
        ProtocolJson.object(what, node, GRAPH_FIELDS);
        String kind = ProtocolJson.text(what, node, "kind");
        if (!kind.equals("sparse")) {
            throw new MalformedMessageException(what + ": kind must be 'sparse', got '" + LogSafe.text(kind) + "'");
        }
        byte[] seed = ProtocolJson.base64(what, node, "seed");
        String text = ProtocolJson.text(what, node, "threshold");
        long threshold;
        try {
            if (!text.matches("[0-9]{1,20}")) {
                throw new NumberFormatException(text);
            }
            threshold = Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedMessageException(what + ": threshold must be an unsigned 64-bit decimal", e);
        }
        try {
            return new GraphSpec(seed, threshold);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupAnnouncement a && group.equals(a.group) && epoch == a.epoch && params.equals(a.params)
                && stepSeconds == a.stepSeconds && members.equals(a.members) && Arrays.equals(headEndPublicKey, a.headEndPublicKey)
                && phase == a.phase && activeFromLabel.equals(a.activeFromLabel) && maskGraph.equals(a.maskGraph);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(group, epoch, params, stepSeconds, members, phase, activeFromLabel, maskGraph) + Arrays.hashCode(headEndPublicKey);
    }

    @Override
    public String toString() {
        return "GroupAnnouncement[group=" + group + ", epoch=" + epoch + ", params=" + params + ", stepSeconds=" + stepSeconds
                + ", members=" + members.size() + ", phase=" + phase + ", activeFromLabel=" + activeFromLabel
                + ", maskGraph=" + maskGraph.map(GraphSpec::toString).orElse("complete") + "]";
    }
}
