package org.psametering.protocol;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>The per-meter key set of a sparse-graph epoch ({@code psa/v1/{group}/{epoch}/keyset/{meter}}, shared-crypto
 * README §13) has the same body plus {@code "recipient":"m7"}: the meter it is for, inside the head-end's signature, so
 * a set cut for one meter cannot be passed off as another's (the topic alone is not signed). Its members are the
 * recipient and exactly its neighbours. A parser that does not know the field refuses it (strict), so an older meter
 * fails closed.
 */
public final class KeySetMessage {
    private static final String WHAT = "keyset";
    static final int VERSION = 2;
    private static final Set<String> FIELDS = Set.of("group", "epoch", "params", "members", "recipient");
    private static final Set<String> MEMBER_FIELDS = Set.of("meter", "signedKey");

    private final String group;
    private final long epoch;
    private final String params;
    private final SortedMap<String, byte[]> publicKeys;
    private final Optional<String> recipient;

    /** The whole group's key set (complete mask graph). */
    public KeySetMessage(String group, long epoch, String params, Map<String, byte[]> publicKeys) {
        this(group, epoch, params, publicKeys, Optional.empty());
    }

    /**
     * With a recipient: one meter's key set of a sparse-graph epoch, which must list the recipient itself (the meter
     * checks its own key is in it, as in the complete set).
     */
    public KeySetMessage(String group, long epoch, String params, Map<String, byte[]> publicKeys, Optional<String> recipient) {
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
        recipient.ifPresent(r -> {
            ProtocolIds.require("recipient meter id", r);
            if (!copy.containsKey(r)) {
                throw new MalformedMessageException(WHAT + ": recipient " + r + " is not among the members");
            }
        });
        this.recipient = recipient;
    }

    /** The meter this per-meter key set is for; empty for the whole group's key set. */
    public Optional<String> recipient() {
        return recipient;
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
        recipient.ifPresent(r -> node.put("recipient", r));
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
                ProtocolJson.text(WHAT, node, "params"), keys,
                node.has("recipient") ? Optional.of(ProtocolJson.text(WHAT, node, "recipient")) : Optional.empty());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeySetMessage k) || !group.equals(k.group) || epoch != k.epoch || !params.equals(k.params)
                || !recipient.equals(k.recipient)
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
        return "KeySetMessage[group=" + group + ", epoch=" + epoch + ", params=" + params + ", members=" + publicKeys.size()
                + recipient.map(r -> ", recipient=" + r).orElse("") + "]";
    }
}
