package org.psametering.protocol;

import java.util.Optional;

/**
 * Topic names of protocol version 1. All messages use QoS {@link #QOS}.
 *
 * <pre>
 * psa/v1/{group}/announce                  retained, head-end  -> meters   GroupAnnouncement (JSON), newest epoch
 * psa/v1/{group}/{epoch}/announce          retained, head-end  -> meters   GroupAnnouncement (JSON) of that epoch
 * psa/v1/{group}/{epoch}/pubkey/{meter}    retained, meter     -> all      X25519 public key (wire encoding)
 * psa/v1/{group}/{epoch}/keyset            retained, head-end  -> meters   KeySetMessage (JSON)
 * psa/v1/{group}/{epoch}/keyset/{meter}    retained, head-end  -> that meter  KeySetMessage (JSON) with recipient,
 *                                                                              sparse mask graph: the meter's neighbours
 * psa/v1/{group}/{epoch}/blinded/{meter}   not retained, meter -> head-end BlindedKeyMessage (binary, MAC)
 * psa/v1/{group}/{epoch}/ct/{meter}        not retained, meter -> head-end CiphertextMessage (binary, MAC)
 * psa/v1/{group}/{epoch}/recovery          not retained, head-end -> meters   RecoveryRequestMessage (JSON)
 * psa/v1/{group}/{epoch}/answer/{meter}    not retained, meter -> head-end RecoveryAnswerMessage (binary, MAC)
 * psa/v1/{group}/result                    not retained, head-end -> any   ResultMessage (JSON)
 * </pre>
 */
public final class Topics {
    public static final String ROOT = "psa/v1/";
    public static final int QOS = 1;

    private Topics() {
    }

    public static String announce(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/announce";
    }

    /**
     * The latest announcement of one epoch. The group's announce topic holds only the newest epoch, so a meter that
     * was offline while epoch e+1 went ACTIVE and e+2 started would never learn e+1's activeFromLabel from it.
     */
    public static String epochAnnounce(String group, long epoch) {
        return epochPrefix(group, epoch) + "announce";
    }

    /** Filter matching the per-epoch announcements of one group. */
    public static String epochAnnouncementsFilter(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/+/announce";
    }

    public static String result(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/result";
    }

    public static String keySet(String group, long epoch) {
        return epochPrefix(group, epoch) + "keyset";
    }

    /**
     * The per-meter key set of a sparse-graph epoch (shared-crypto README §13): only that meter's neighbours' signed
     * keys, readable by that meter only (ACL). Parses as a {@link TopicKind#KEYSET} topic with the meter id present.
     */
    public static String meterKeySet(String group, long epoch, String meter) {
        return epochPrefix(group, epoch) + "keyset/" + ProtocolIds.require("meter id", meter);
    }

    /** Filter matching one meter's per-meter key sets of every epoch of its group. */
    public static String meterKeySetsFilter(String group, String meter) {
        return ROOT + ProtocolIds.require("group id", group) + "/+/keyset/" + ProtocolIds.require("meter id", meter);
    }

    public static String publicKey(String group, long epoch, String meter) {
        return epochPrefix(group, epoch) + "pubkey/" + ProtocolIds.require("meter id", meter);
    }

    public static String blindedKey(String group, long epoch, String meter) {
        return epochPrefix(group, epoch) + "blinded/" + ProtocolIds.require("meter id", meter);
    }

    public static String ciphertext(String group, long epoch, String meter) {
        return epochPrefix(group, epoch) + "ct/" + ProtocolIds.require("meter id", meter);
    }

    /** The head-end's recovery requests of one epoch (docs/protocol.md, "Recovery"). */
    public static String recovery(String group, long epoch) {
        return epochPrefix(group, epoch) + "recovery";
    }

    /** Filter matching the recovery requests of every epoch of one group (a meter subscribes to its own group's). */
    public static String recoveryFilter(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/+/recovery";
    }

    /** One meter's recovery answers of one epoch; only the head-end may read them (ACL), like ciphertexts. */
    public static String recoveryAnswer(String group, long epoch, String meter) {
        return epochPrefix(group, epoch) + "answer/" + ProtocolIds.require("meter id", meter);
    }

    public static String allRecoveryAnswers() {
        return ROOT + "+/+/answer/+";
    }

    /** Filter matching every announcement (the meter subscribes to its own group's only). */
    public static String allAnnouncements() {
        return ROOT + "+/announce";
    }

    /** Filters the head-end subscribes to for one group: public keys, blinded keys and ciphertexts of any epoch. */
    public static String publicKeysFilter(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/+/pubkey/+";
    }

    public static String blindedKeysFilter(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/+/blinded/+";
    }

    public static String ciphertextsFilter(String group) {
        return ROOT + ProtocolIds.require("group id", group) + "/+/ct/+";
    }

    /** Filters the head-end subscribes to across all groups (unknown groups are then counted, not silently missed). */
    public static String allPublicKeys() {
        return ROOT + "+/+/pubkey/+";
    }

    public static String allBlindedKeys() {
        return ROOT + "+/+/blinded/+";
    }

    public static String allCiphertexts() {
        return ROOT + "+/+/ct/+";
    }

    /**
     * Parses a concrete topic (no wildcards). Throws {@link MalformedMessageException} naming the problem, so a
     * subscriber can count and drop messages on topics it does not understand.
     */
    public static Topic parse(String topic) {
        if (topic == null || !topic.startsWith(ROOT)) {
            throw new MalformedMessageException("topic '" + topic + "' is not under " + ROOT);
        }
        String[] levels = topic.substring(ROOT.length()).split("/", -1);
        String group = ProtocolIds.require("group id in topic", levels[0]);
        if (levels.length == 2) {
            return switch (levels[1]) {
                case "announce" -> new Topic(TopicKind.ANNOUNCE, group, -1, Optional.empty());
                case "result" -> new Topic(TopicKind.RESULT, group, -1, Optional.empty());
                default -> throw unknown(topic);
            };
        }
        if (levels.length < 3 || levels.length > 4) {
            throw unknown(topic);
        }
        long epoch = parseEpoch(levels[1], topic);
        if (levels.length == 3) {
            return switch (levels[2]) {
                case "keyset" -> new Topic(TopicKind.KEYSET, group, epoch, Optional.empty());
                case "announce" -> new Topic(TopicKind.ANNOUNCE, group, epoch, Optional.empty()); // epoch >= 0: per epoch
                case "recovery" -> new Topic(TopicKind.RECOVERY, group, epoch, Optional.empty());
                default -> throw unknown(topic);
            };
        }
        TopicKind kind = switch (levels[2]) {
            case "pubkey" -> TopicKind.PUBKEY;
            case "blinded" -> TopicKind.BLINDED;
            case "ct" -> TopicKind.CIPHERTEXT;
            case "answer" -> TopicKind.RECOVERY_ANSWER;
            case "keyset" -> TopicKind.KEYSET; // the per-meter key set (sparse mask graph)
            default -> throw unknown(topic);
        };
        return new Topic(kind, group, epoch, Optional.of(ProtocolIds.require("meter id in topic", levels[3])));
    }

    private static String epochPrefix(String group, long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        return ROOT + ProtocolIds.require("group id", group) + "/" + epoch + "/";
    }

    private static long parseEpoch(String level, String topic) {
        // digits only: Long.parseLong would also accept "+5" and "-0"
        if (level.isEmpty() || level.length() > 18 || !level.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedMessageException("topic '" + topic + "': epoch level '" + level + "' is not a decimal number");
        }
        return Long.parseLong(level);
    }

    private static MalformedMessageException unknown(String topic) {
        return new MalformedMessageException("topic '" + topic + "' is not a psa/v1 topic");
    }
}
