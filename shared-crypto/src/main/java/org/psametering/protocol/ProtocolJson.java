package org.psametering.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Strict reading and writing of the JSON payloads via Jackson's tree model: every field is checked by hand so that
 * an error names the field, and unknown fields are rejected (a newer sender must bump the version instead).
 */
final class ProtocolJson {
    static final int VERSION = 1;
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ProtocolJson() {
    }

    static ObjectNode newMessage() {
        return newMessage(VERSION);
    }

    static ObjectNode newMessage(int version) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("version", version);
        return node;
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of plain values", e);
        }
    }

    /** Parses an object of version 1 with exactly the allowed field names (plus "version"). */
    static JsonNode readMessage(String what, byte[] payload, Set<String> allowed) {
        return readMessage(what, payload, allowed, VERSION);
    }

    /** Parses an object of {@code expectedVersion} with exactly the allowed field names (plus "version"). */
    static JsonNode readMessage(String what, byte[] payload, Set<String> allowed, int expectedVersion) {
        if (payload == null) {
            throw new MalformedMessageException(what + ": no payload");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException(what + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new MalformedMessageException(what + ": unreadable JSON (" + e.getMessage() + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException(what + ": expected a JSON object");
        }
        JsonNode version = node.get("version");
        if (version == null || !version.isIntegralNumber() || version.asLong() != expectedVersion) {
            throw new MalformedMessageException(what + ": unsupported or missing version " + version + " (expected " + expectedVersion + ")");
        }
        rejectUnknownFields(what, node, allowed, "version");
        return node;
    }

    /** A nested object of a message (e.g. the announcement's maskGraph) with no fields but {@code allowed}. */
    static JsonNode object(String what, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new MalformedMessageException(what + ": expected a JSON object");
        }
        rejectUnknownFields(what, node, allowed, null);
        return node;
    }

    private static void rejectUnknownFields(String what, JsonNode node, Set<String> allowed, String alsoAllowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(alsoAllowed) && !allowed.contains(name)) {
                throw new MalformedMessageException(what + ": unknown field '" + name + "'");
            }
        }
    }

    static JsonNode required(String what, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedMessageException(what + ": missing field '" + field + "'");
        }
        return value;
    }

    static String text(String what, JsonNode node, String field) {
        JsonNode value = required(what, node, field);
        if (!value.isTextual()) {
            throw new MalformedMessageException(what + ": field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    static long integer(String what, JsonNode node, String field) {
        JsonNode value = required(what, node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedMessageException(what + ": field '" + field + "' must be an integer");
        }
        return value.longValue();
    }

    static int int32(String what, JsonNode node, String field) {
        long value = integer(what, node, field);
        if (value != (int) value) {
            throw new MalformedMessageException(what + ": field '" + field + "' out of range: " + value);
        }
        return (int) value;
    }

    static byte[] base64(String what, JsonNode node, String field) {
        try {
            return Base64.getDecoder().decode(text(what, node, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": field '" + field + "' is not base64", e);
        }
    }

    static List<String> ids(String what, JsonNode node, String field) {
        JsonNode value = required(what, node, field);
        if (!value.isArray()) {
            throw new MalformedMessageException(what + ": field '" + field + "' must be an array");
        }
        List<String> ids = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new MalformedMessageException(what + ": field '" + field + "' must hold strings");
            }
            ids.add(element.textValue());
        }
        return ids;
    }

    static <E extends Enum<E>> E enumValue(String what, JsonNode node, String field, Class<E> type) {
        String name = text(what, node, field);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": field '" + field + "' has unknown value '" + name + "'");
        }
    }

    /** Sorted, duplicate-free, each a valid meter id: the canonical member list. */
    static List<String> requireSortedMeterIds(String what, List<String> ids) {
        if (ids.isEmpty()) {
            throw new MalformedMessageException(what + ": member list is empty");
        }
        for (int i = 0; i < ids.size(); i++) {
            ProtocolIds.require("meter id", ids.get(i));
            if (i > 0 && ids.get(i - 1).compareTo(ids.get(i)) >= 0) {
                throw new MalformedMessageException(what + ": member list must be sorted and without duplicates (at '" + ids.get(i) + "')");
            }
        }
        return List.copyOf(ids);
    }
}
