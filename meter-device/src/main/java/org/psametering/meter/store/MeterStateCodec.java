package org.psametering.meter.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.GraphSpec;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.recovery.AnsweredRecovery;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.SecretKeyCodec;

/**
 * The state file format, version 4: a UTF-8 JSON object (documented in meter-device/README.md and docs/protocol.md).
 *
 * <pre>
 * {"format":"psa-meter-state","version":4,"meterId":"m1","groupId":"g1",
 *  "epochs":[{"epoch":3,"params":"lwr-3072-q128-p85","stepSeconds":900,"groupSize":3,
 *             "headEndPublicKey":"base64 wire encoding","phase":"KEY_SETUP|BLINDED_SENT|ACTIVE",
 *             "activeFromLabel":1953001 | null, "lastLabel":1953007 | null,
 *             "lastRecovery":{"label":1953005,"requestDigest":"base64, 32 bytes"} | null,
 *             "maskGraph":{"seed":"base64, 32 bytes","threshold":"unsigned 64-bit decimal","neighbours":["m2","m9"]} | null,
 *             "psaKey":"base64 SecretKeyCodec export (SECRET)","agreementKey":"base64 SecretKeyCodec export (SECRET)"}]}
 * </pre>
 *
 * Version 1 kept one meter-wide {@code "lastLabel"} at the top and none per epoch; it is still read. Every label v1
 * ever encrypted, under any key, was numerically at most that number, so it is a safe bound for each epoch whose
 * activeFromLabel is not above it; an epoch that starts above it never encrypted anything. Version 2 has no
 * {@code "lastRecovery"}: those meters never answered a recovery request, so none is recorded. Versions 1 to 3 have no
 * {@code "maskGraph"}: those meters refused sparse groups, so every epoch they hold is over the complete graph. Written
 * files are always version 4.
 *
 * JSON so an operator can inspect epoch and last label; the secrets inside are shared-crypto's versioned
 * {@link SecretKeyCodec} encodings. Parsing is strict: unknown or missing fields are errors.
 */
public final class MeterStateCodec {

    static final String FORMAT = "psa-meter-state";
    static final int VERSION = 4;
    static final int VERSION_3 = 3;
    static final int VERSION_2 = 2;
    static final int VERSION_1 = 1;
    private static final Set<String> TOP_V1 = Set.of("format", "version", "meterId", "groupId", "lastLabel", "epochs");
    private static final Set<String> TOP = Set.of("format", "version", "meterId", "groupId", "epochs");
    private static final Set<String> EPOCH_V1 = Set.of("epoch", "params", "stepSeconds", "groupSize", "headEndPublicKey", "phase",
            "activeFromLabel", "psaKey", "agreementKey");
    private static final Set<String> EPOCH_V2 = union(EPOCH_V1, "lastLabel");
    private static final Set<String> EPOCH_V3 = union(EPOCH_V2, "lastRecovery");
    private static final Set<String> EPOCH = union(EPOCH_V3, "maskGraph");
    private static final Set<String> MASK_GRAPH = Set.of("seed", "threshold", "neighbours");
    private static final Set<String> RECOVERY = Set.of("label", "requestDigest");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private MeterStateCodec() {
    }

    public static byte[] encode(MeterState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION).put("meterId", state.meterId()).put("groupId", state.groupId());
        ArrayNode epochs = root.putArray("epochs");
        Base64.Encoder b64 = Base64.getEncoder();
        for (EpochState e : state.epochs()) {
            ObjectNode node = epochs.addObject();
            node.put("epoch", e.epoch()).put("params", e.params()).put("stepSeconds", e.stepSeconds())
                    .put("groupSize", e.groupSize()).put("headEndPublicKey", b64.encodeToString(e.headEndPublicKey()))
                    .put("phase", e.phase().name());
            if (e.isActive()) {
                node.put("activeFromLabel", e.activeFromLabel());
            } else {
                node.putNull("activeFromLabel");
            }
            if (e.lastLabel() == MeterState.NO_LABEL) {
                node.putNull("lastLabel");
            } else {
                node.put("lastLabel", e.lastLabel());
            }
            if (e.lastRecovery().isPresent()) {
                node.putObject("lastRecovery").put("label", e.lastRecovery().get().label())
                        .put("requestDigest", b64.encodeToString(e.lastRecovery().get().requestDigest()));
            } else {
                node.putNull("lastRecovery");
            }
            if (e.sparseRow().isPresent()) {
                SparseRow row = e.sparseRow().get();
                ObjectNode graph = node.putObject("maskGraph");
                graph.put("seed", b64.encodeToString(row.spec().seed()))
                        .put("threshold", Long.toUnsignedString(row.spec().threshold()));
                ArrayNode neighbours = graph.putArray("neighbours");
                row.neighbours().forEach(neighbours::add);
            } else {
                node.putNull("maskGraph");
            }
            byte[] psa = SecretKeyCodec.export(e.keys().psaKey());
            byte[] agreement = SecretKeyCodec.export(e.keys().agreementKey());
            node.put("psaKey", b64.encodeToString(psa)).put("agreementKey", b64.encodeToString(agreement));
            Arrays.fill(psa, (byte) 0);
            Arrays.fill(agreement, (byte) 0);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise meter state", e); // a tree of plain values always serialises
        }
    }

    /** @throws CorruptStateException naming the field that is wrong (never echoing secret values) */
    public static MeterState decode(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            // only the position: the parser's own message may quote file content, and the file holds secrets
            throw new CorruptStateException("not valid JSON" + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new CorruptStateException("unreadable: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new CorruptStateException("not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new CorruptStateException("field 'format' must be \"" + FORMAT + "\"");
        }
        long version = integer(root, "version", "");
        if (version != VERSION && version != VERSION_3 && version != VERSION_2 && version != VERSION_1) {
            throw new CorruptStateException("unsupported state format version " + version + " (this build reads " + VERSION_1
                    + " to " + VERSION + ")");
        }
        boolean v1 = version == VERSION_1;
        onlyKnown(root, v1 ? TOP_V1 : TOP, "");
        String meterId = text(root, "meterId", "");
        String groupId = text(root, "groupId", "");
        long v1LastLabel = !v1 || root.path("lastLabel").isNull() ? MeterState.NO_LABEL : integer(root, "lastLabel", "");
        JsonNode epochsNode = root.path("epochs");
        if (!epochsNode.isArray()) {
            throw new CorruptStateException("field 'epochs' must be an array");
        }
        List<EpochState> epochs = new ArrayList<>();
        for (int i = 0; i < epochsNode.size(); i++) {
            EpochState e = epoch(epochsNode.get(i), "epochs[" + i + "].", (int) version, groupId);
            if (v1 && e.isActive() && e.activeFromLabel() <= v1LastLabel) {
                e = e.withLastLabel(v1LastLabel);
            }
            epochs.add(e);
        }
        try {
            return new MeterState(meterId, groupId, epochs);
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(e.getMessage());
        }
    }

    private static EpochState epoch(JsonNode node, String where, int version, String groupId) {
        if (!node.isObject()) {
            throw new CorruptStateException(where.substring(0, where.length() - 1) + " must be an object");
        }
        boolean v1 = version == VERSION_1;
        onlyKnown(node, v1 ? EPOCH_V1 : version == VERSION_2 ? EPOCH_V2 : version == VERSION_3 ? EPOCH_V3 : EPOCH, where);
        Optional<SparseRow> sparseRow = version < VERSION || node.path("maskGraph").isNull() ? Optional.empty()
                : Optional.of(sparseRow(node.path("maskGraph"), where + "maskGraph."));
        Optional<AnsweredRecovery> lastRecovery = version < VERSION_3 || node.path("lastRecovery").isNull() ? Optional.empty()
                : Optional.of(lastRecovery(node.path("lastRecovery"), where + "lastRecovery.", groupId,
                integer(node, "epoch", where)));
        long lastLabel = v1 || node.path("lastLabel").isNull() ? MeterState.NO_LABEL : integer(node, "lastLabel", where);
        String params = text(node, "params", where);
        try {
            PsaParameters.byName(params);
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(where + "params: " + e.getMessage());
        }
        EpochPhase phase;
        try {
            phase = EpochPhase.valueOf(text(node, "phase", where));
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(where + "phase: must be one of " + Arrays.toString(EpochPhase.values()));
        }
        long activeFrom = node.path("activeFromLabel").isNull() ? -1 : integer(node, "activeFromLabel", where);
        if ((phase == EpochPhase.ACTIVE) == node.path("activeFromLabel").isNull()) {
            throw new CorruptStateException(where + "activeFromLabel: must be set exactly when phase is ACTIVE");
        }
        byte[] psaBytes = base64(node, "psaKey", where);
        byte[] agreementBytes = base64(node, "agreementKey", where);
        try {
            PsaKey psaKey = SecretKeyCodec.importPsaKey(psaBytes);
            AgreementKeyPair agreement = SecretKeyCodec.importAgreementKeyPair(agreementBytes);
            if (!psaKey.params().name().equals(params)) {
                throw new CorruptStateException(where + "psaKey: belongs to parameter set " + psaKey.params().name() + ", not " + params);
            }
            return new EpochState(integer(node, "epoch", where), params, (int) integer(node, "stepSeconds", where),
                    (int) integer(node, "groupSize", where), base64(node, "headEndPublicKey", where), phase, activeFrom,
                    new EpochKeys(psaKey, agreement), lastLabel, lastRecovery, sparseRow);
        } catch (CorruptStateException e) {
            throw e;
        } catch (RuntimeException e) { // MalformedEncodingException from the codec, range checks from the records
            throw new CorruptStateException(where + "keys: " + e.getMessage());
        } finally {
            Arrays.fill(psaBytes, (byte) 0);
            Arrays.fill(agreementBytes, (byte) 0);
        }
    }

    private static AnsweredRecovery lastRecovery(JsonNode node, String where, String groupId, long epoch) {
        if (!node.isObject()) {
            throw new CorruptStateException(where.substring(0, where.length() - 1) + " must be an object or null");
        }
        onlyKnown(node, RECOVERY, where);
        byte[] digest = base64(node, "requestDigest", where);
        if (digest.length != RecoveryRequest.DIGEST_BYTES) {
            throw new CorruptStateException("field '" + where + "requestDigest' must be " + RecoveryRequest.DIGEST_BYTES
                    + " bytes, got " + digest.length);
        }
        return new AnsweredRecovery(groupId, epoch, integer(node, "label", where), digest);
    }

    private static SparseRow sparseRow(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new CorruptStateException(where.substring(0, where.length() - 1) + " must be an object or null");
        }
        onlyKnown(node, MASK_GRAPH, where);
        long threshold;
        try {
            threshold = Long.parseUnsignedLong(text(node, "threshold", where));
        } catch (NumberFormatException e) {
            throw new CorruptStateException("field '" + where + "threshold' must be an unsigned 64-bit decimal");
        }
        JsonNode list = node.path("neighbours");
        if (!list.isArray()) {
            throw new CorruptStateException("field '" + where + "neighbours' must be an array");
        }
        List<String> neighbours = new ArrayList<>();
        for (JsonNode id : list) {
            if (!id.isTextual()) {
                throw new CorruptStateException("field '" + where + "neighbours' must hold strings");
            }
            neighbours.add(id.asText());
        }
        try {
            return new SparseRow(new GraphSpec(base64(node, "seed", where), threshold), neighbours);
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException(where + e.getMessage());
        }
    }

    private static Set<String> union(Set<String> base, String extra) {
        Set<String> all = new java.util.HashSet<>(base);
        all.add(extra);
        return Set.copyOf(all);
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new CorruptStateException("unknown field '" + where + name + "'");
            }
        }
        for (String name : known) {
            if (!node.has(name)) {
                throw new CorruptStateException("missing field '" + where + name + "'");
            }
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new CorruptStateException("field '" + where + field + "' must be a string");
        }
        return value.asText();
    }

    private static long integer(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new CorruptStateException("field '" + where + field + "' must be an integer");
        }
        long v = value.asLong();
        if ((field.equals("stepSeconds") || field.equals("groupSize")) && (v < 1 || v > Integer.MAX_VALUE)) {
            throw new CorruptStateException("field '" + where + field + "' out of range: " + v);
        }
        return v;
    }

    private static byte[] base64(JsonNode node, String field, String where) {
        try {
            return Base64.getDecoder().decode(text(node, field, where));
        } catch (IllegalArgumentException e) {
            throw new CorruptStateException("field '" + where + field + "' is not valid base64");
        }
    }
}
