package org.psametering.protocol;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Payload (docs/protocol.md, "Recovery of steps with missing meters") of {@code psa/v1/{group}/{epoch}/recovery} (JSON,
 * version 1), the head-end's request to the reporting members to help decrypt {@code label} without the
 * {@code missing} meters (sorted, unique, non-empty). The reporting set is every other member of the epoch.
 * A meter turns it into shared-crypto's {@code RecoveryRequest} with its own group context and runs its
 * {@code RecoveryPolicy} before answering.
 *
 * <pre>{"version":1,"group":"g","epoch":3,"label":1953000,"missing":["m7","m9"]}</pre>
 */
public record RecoveryRequestMessage(String group, long epoch, long label, List<String> missing) {
    private static final String WHAT = "recovery request";
    private static final Set<String> FIELDS = Set.of("group", "epoch", "label", "missing");

    public RecoveryRequestMessage {
        ProtocolIds.require("group id", group);
        if (epoch < 0 || label < 0) {
            throw new MalformedMessageException(WHAT + ": epoch and label must be >= 0");
        }
        if (missing == null || missing.isEmpty()) {
            throw new MalformedMessageException(WHAT + ": no missing meter (nothing to recover)");
        }
        missing = ProtocolJson.requireSortedMeterIds(WHAT, missing);
    }

    public byte[] toJson() {
        ObjectNode node = ProtocolJson.newMessage();
        node.put("group", group).put("epoch", epoch).put("label", label);
        ArrayNode list = node.putArray("missing");
        missing.forEach(list::add);
        return ProtocolJson.bytes(node);
    }

    /** Strict parse; throws {@link MalformedMessageException} naming the bad field. */
    public static RecoveryRequestMessage fromJson(byte[] payload) {
        JsonNode node = ProtocolJson.readMessage(WHAT, payload, FIELDS);
        return new RecoveryRequestMessage(ProtocolJson.text(WHAT, node, "group"),
                ProtocolJson.integer(WHAT, node, "epoch"), ProtocolJson.integer(WHAT, node, "label"),
                ProtocolJson.ids(WHAT, node, "missing"));
    }
}
