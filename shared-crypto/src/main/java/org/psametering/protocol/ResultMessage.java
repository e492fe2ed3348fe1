package org.psametering.protocol;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Payload of {@code psa/v1/{group}/result} (JSON, version 1). {@code sum} is present exactly when COMPLETE or
 * RECOVERED; {@code missing} (sorted meter ids) is non-empty when INCOMPLETE (unless {@code reason} names another
 * cause), RECOVERING or RECOVERED, and empty when COMPLETE. An INCOMPLETE step may later be published again as
 * COMPLETE, RECOVERING then RECOVERED or INCOMPLETE (docs/protocol.md, "Recovery").
 *
 * <pre>{"version":1,"group":"g","epoch":3,"label":1953000,"status":"COMPLETE","sum":12345,"missing":[]}</pre>
 */
public record ResultMessage(String group, long epoch, long label, ResultStatus status, OptionalLong sum, List<String> missing,
                            Optional<ResultReason> reason) {
    private static final String WHAT = "result";
    private static final Set<String> FIELDS = Set.of("group", "epoch", "label", "status", "sum", "missing", "reason");

    /** A result without a reason (COMPLETE, or INCOMPLETE because the meters in {@code missing} did not report). */
    public ResultMessage(String group, long epoch, long label, ResultStatus status, OptionalLong sum, List<String> missing) {
        this(group, epoch, label, status, sum, missing, Optional.empty());
    }

    public ResultMessage {
        ProtocolIds.require("group id", group);
        if (epoch < 0 || label < 0) {
            throw new MalformedMessageException(WHAT + ": epoch and label must be >= 0");
        }
        if (status == null) {
            throw new MalformedMessageException(WHAT + ": status is missing");
        }
        missing = List.copyOf(missing);
        if (status == ResultStatus.COMPLETE && (sum.isEmpty() || !missing.isEmpty())) {
            throw new MalformedMessageException(WHAT + ": a COMPLETE result has a sum and no missing meters");
        }
        if (status == ResultStatus.RECOVERED && (sum.isEmpty() || missing.isEmpty())) {
            throw new MalformedMessageException(WHAT + ": a RECOVERED result has a sum and names the missing meters");
        }
        if (status == ResultStatus.RECOVERING && (sum.isPresent() || missing.isEmpty())) {
            throw new MalformedMessageException(WHAT + ": a RECOVERING result has no sum and names the missing meters");
        }
        if (status != ResultStatus.COMPLETE && !missing.isEmpty()) {
            ProtocolJson.requireSortedMeterIds(WHAT, missing);
        }
        if (status == ResultStatus.INCOMPLETE) {
            if (sum.isPresent()) {
                throw new MalformedMessageException(WHAT + ": an INCOMPLETE result has no sum");
            }
            if (!missing.isEmpty()) {
                ProtocolJson.requireSortedMeterIds(WHAT, missing);
            }
        }
        if (reason == null) {
            throw new MalformedMessageException(WHAT + ": reason must be empty, not null");
        }
        if (reason.isPresent() && status != ResultStatus.INCOMPLETE) {
            throw new MalformedMessageException(WHAT + ": only an INCOMPLETE result has a reason");
        }
        if (status == ResultStatus.INCOMPLETE && reason.isEmpty() && missing.isEmpty()) {
            throw new MalformedMessageException(WHAT + ": an INCOMPLETE result without a reason names the missing meters");
        }
    }

    public static ResultMessage complete(String group, long epoch, long label, long sum) {
        return new ResultMessage(group, epoch, label, ResultStatus.COMPLETE, OptionalLong.of(sum), List.of());
    }

    public static ResultMessage incomplete(String group, long epoch, long label, List<String> missing) {
        return new ResultMessage(group, epoch, label, ResultStatus.INCOMPLETE, OptionalLong.empty(), missing);
    }

    /** A step whose every member reported but whose aggregation failed: no sum, nobody missing, the cause named. */
    public static ResultMessage failed(String group, long epoch, long label, ResultReason reason) {
        return new ResultMessage(group, epoch, label, ResultStatus.INCOMPLETE, OptionalLong.empty(), List.of(), Optional.of(reason));
    }

    public byte[] toJson() {
        ObjectNode node = ProtocolJson.newMessage();
        node.put("group", group).put("epoch", epoch).put("label", label).put("status", status.name());
        sum.ifPresent(s -> node.put("sum", s));
        ArrayNode list = node.putArray("missing");
        missing.forEach(list::add);
        reason.ifPresent(r -> node.put("reason", r.name()));
        return ProtocolJson.bytes(node);
    }

    public static ResultMessage fromJson(byte[] payload) {
        JsonNode node = ProtocolJson.readMessage(WHAT, payload, FIELDS);
        OptionalLong sum = node.has("sum") ? OptionalLong.of(ProtocolJson.integer(WHAT, node, "sum")) : OptionalLong.empty();
        return new ResultMessage(ProtocolJson.text(WHAT, node, "group"), ProtocolJson.integer(WHAT, node, "epoch"),
                ProtocolJson.integer(WHAT, node, "label"), ProtocolJson.enumValue(WHAT, node, "status", ResultStatus.class),
                sum, ProtocolJson.ids(WHAT, node, "missing"),
                node.has("reason") ? Optional.of(ProtocolJson.enumValue(WHAT, node, "reason", ResultReason.class)) : Optional.empty());
    }
}
