package org.psametering.protocol;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Body of the signed key set on {@code psa/v1/{group}/{epoch}/keyset} (JSON, version 2, inside a {@link SignedMessage}
 * of kind KEY_SET): every member's {@link SignedPublicKey} frame exactly as the meter published it, sorted by meter id.
 * Version 1 (bare, unsigned keys) is refused.
 *
 * <pre>{"version":2,"group":"g","epoch":3,"params":"...","members":[{"meter":"m1","signedKey":"base64"}, ...]}</pre>
 */
public final class KeySetMessage {
    private static final String WHAT = "keyset";
    static final int VERSION = 2;
    private static final Set<String> FIELDS = Set.of("group", "epoch", "params", "members");
    private static final Set<String> MEMBER_FIELDS = Set.of("meter", "signedKey");

    private final String group;
    private final long epoch;
    private final String params;
    private final SortedMap<String, byte[]> publicKeys;

    public KeySetMessage(String group, long epoch, String params, Map<String, byte[]> publicKeys) {
        this.group = ProtocolIds.require("group id", group);
        if (epoch < 0) {
            throw new MalformedMessageException(WHAT + ": epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
        if (params == null || params.isBlank()) {
            throw new MalformedMessageException(WHAT + ": params name is empty");
        }
        this.params = params;
        if (publicKeys.isEmpty()) {
            throw new MalformedMessageException(WHAT + ": no members");
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        publicKeys.forEach((meter, key) -> {
            ProtocolIds.require("meter id", meter);
            if (key == null || key.length == 0) {
                throw new MalformedMessageException(WHAT + ": empty signed key for meter " + meter);
            }
            copy.put(meter, key.clone());
        });
        this.publicKeys = Collections.unmodifiableSortedMap(copy);
    }

    public String group() {
        return group;
    }

    public long epoch() {
        return epoch;
    }

    public String params() {
        return params;
    }

    public List<String> members() {
        return List.copyOf(publicKeys.keySet());
    }

    /** The X25519 key encoding inside a member's signed key (not verified here); throws if {@code meter} is not a member. */
    public byte[] publicKey(String meter) {
        return SignedPublicKey.parse(publicKeys.get(requireMember(meter))).keyEncoding();
    }

    private String requireMember(String meter) {
        if (!publicKeys.containsKey(meter)) {
            throw new IllegalArgumentException("meter " + meter + " is not in the keyset of " + group + "/" + epoch);
        }
        return meter;
    }

    /** A copy of one member's signed-key frame; throws if {@code meter} is not a member. */
    public byte[] signedKey(String meter) {
        byte[] key = publicKeys.get(meter);
        if (key == null) {
            throw new IllegalArgumentException("meter " + meter + " is not in the keyset of " + group + "/" + epoch);
        }
        return key.clone();
    }

    public byte[] toJson() {
        ObjectNode node = ProtocolJson.newMessage(VERSION);
        node.put("group", group).put("epoch", epoch).put("params", params);
        ArrayNode members = node.putArray("members");
        publicKeys.forEach((meter, key) -> members.addObject().put("meter", meter).put("signedKey", Base64.getEncoder().encodeToString(key)));
        return ProtocolJson.bytes(node);
    }

    /** Strict parse: members sorted, no duplicates, no unknown fields. */
    public static KeySetMessage fromJson(byte[] payload) {
        JsonNode node = ProtocolJson.readMessage(WHAT, payload, FIELDS, VERSION);
        JsonNode members = ProtocolJson.required(WHAT, node, "members");
        if (!members.isArray()) {
            throw new MalformedMessageException(WHAT + ": field 'members' must be an array");
        }
        TreeMap<String, byte[]> keys = new TreeMap<>();
        String previous = null;
        for (JsonNode member : members) {
            if (!member.isObject()) {
                throw new MalformedMessageException(WHAT + ": members must be objects");
            }
            member.fieldNames().forEachRemaining(name -> {
                if (!MEMBER_FIELDS.contains(name)) {
                    throw new MalformedMessageException(WHAT + ": unknown member field '" + name + "'");
                }
            });
            String meter = ProtocolIds.require("meter id", ProtocolJson.text(WHAT, member, "meter"));
            if (previous != null && previous.compareTo(meter) >= 0) {
                throw new MalformedMessageException(WHAT + ": members must be sorted and without duplicates (at '" + meter + "')");
            }
            previous = meter;
            keys.put(meter, ProtocolJson.base64(WHAT, member, "signedKey"));
        }
        return new KeySetMessage(ProtocolJson.text(WHAT, node, "group"), ProtocolJson.integer(WHAT, node, "epoch"),
                ProtocolJson.text(WHAT, node, "params"), keys);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeySetMessage k) || !group.equals(k.group) || epoch != k.epoch || !params.equals(k.params)
                || !publicKeys.keySet().equals(k.publicKeys.keySet())) {
            return false;
        }
        return publicKeys.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), k.publicKeys.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(group, epoch, params, publicKeys.keySet());
    }

    @Override
    public String toString() {
        return "KeySetMessage[group=" + group + ", epoch=" + epoch + ", params=" + params + ", members=" + publicKeys.size() + "]";
    }
}
