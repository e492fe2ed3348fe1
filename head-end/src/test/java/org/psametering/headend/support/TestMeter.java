package org.psametering.headend.support;

import java.security.SecureRandom;
import java.util.TreeMap;

import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.recovery.RecoveryAnswer;
import org.psametering.crypto.recovery.RecoveryDecision;
import org.psametering.crypto.recovery.RecoveryPolicy;
import org.psametering.crypto.recovery.RecoveryRequest;
import org.psametering.crypto.recovery.RecoveryResponder;
import org.psametering.crypto.wire.Encodings;
import org.psametering.protocol.BlindedKeyMessage;
import org.psametering.protocol.CiphertextMessage;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.KeySetMessage;
import org.psametering.protocol.MessageKey;
import org.psametering.protocol.RecoveryAnswerMessage;
import org.psametering.protocol.RecoveryRequestMessage;
import org.psametering.protocol.SignedPublicKey;

/** The meter side of the protocol for one epoch, built from the real crypto API and protocol codecs. */
public final class TestMeter {
    private final String id;
    private final AgreementKeyPair agreement;
    private final PsaKey psaKey;
    private GroupAnnouncement announcement;
    private MessageKey messageKey;
    private PsaEncryptor encryptor;
    private KeySet keySet;
    private org.psametering.crypto.keysetup.NeighbourKeys neighbourKeys;

    public TestMeter(String id, PsaParameters params, SecureRandom random) {
        this.id = id;
        this.agreement = AgreementKeyPair.generate(random);
        this.psaKey = PsaKey.generate(params, random);
    }

    public String id() {
        return id;
    }

    /** The payload for psa/v1/{group}/{epoch}/pubkey/{id}; remembers the announcement's head-end key. */
    public byte[] publicKeyPayload(byte[] announcementJson) {
        announcement = GroupAnnouncement.fromJson(announcementJson);
        byte[] secret = agreement.sharedSecret(Encodings.decodePublicKey(announcement.headEndPublicKey()));
        messageKey = MessageKey.derive(secret, announcement.group(), announcement.epoch(), id);
        return SignedPublicKey.sign(TestPki.PKI.meter(id).identity(), announcement.group(), announcement.epoch(), id,
                announcement.params(), Encodings.encode(agreement.publicKey())).encode();
    }

    /** The payload for psa/v1/{group}/{epoch}/blinded/{id}. */
    public byte[] blindedKeyPayload(byte[] keySetJson) {
        KeySetMessage message = KeySetMessage.fromJson(keySetJson);
        PsaParameters params = PsaParameters.byName(message.params());
        GroupContext context = new GroupContext(message.group(), message.epoch(), message.members().size(), params);
        TreeMap<MeterId, AgreementPublicKey> keys = new TreeMap<>();
        for (String member : message.members()) {
            keys.put(new MeterId(member), Encodings.decodePublicKey(message.publicKey(member)));
        }
        keySet = new KeySet(context, keys);
        encryptor = new PsaEncryptor(psaKey, context, Long.MIN_VALUE);
        byte[] body = Encodings.encode(KeySetup.blind(new MeterId(id), agreement, psaKey, keySet));
        return BlindedKeyMessage.seal(body, messageKey);
    }

    /** This meter's X25519 public key of the epoch. */
    public AgreementPublicKey publicKey() {
        return agreement.publicKey();
    }

    /**
     * The payload for psa/v1/{group}/{epoch}/blinded/{id} in a sparse epoch: blinds over the neighbours its per-meter
     * key set lists (a real meter also checks them against its row; the tests check the key set themselves).
     */
    public byte[] sparseBlindedKeyPayload(byte[] meterKeySetJson) {
        KeySetMessage message = KeySetMessage.fromJson(meterKeySetJson);
        if (!message.recipient().equals(java.util.Optional.of(id))) {
            throw new IllegalStateException(id + " got the key set of " + message.recipient());
        }
        PsaParameters params = PsaParameters.byName(message.params());
        GroupContext context = new GroupContext(message.group(), message.epoch(), announcement.members().size(), params);
        TreeMap<MeterId, AgreementPublicKey> neighbours = new TreeMap<>();
        for (String member : message.members()) {
            if (!member.equals(id)) {
                neighbours.put(new MeterId(member), Encodings.decodePublicKey(message.publicKey(member)));
            }
        }
        neighbourKeys = new org.psametering.crypto.keysetup.NeighbourKeys(context, new MeterId(id),
                Encodings.decodePublicKey(message.publicKey(id)), neighbours);
        encryptor = new PsaEncryptor(psaKey, context, Long.MIN_VALUE);
        byte[] body = Encodings.encode(org.psametering.crypto.keysetup.SparseKeySetup.blind(new MeterId(id), agreement, psaKey,
                neighbourKeys, 1, Runnable::run));
        return BlindedKeyMessage.seal(body, messageKey);
    }

    /**
     * The answer of this sparse-epoch meter to a recovery request: the residual over its missing neighbours
     * (shared-crypto README 13.4), decided from its neighbours' keys as a meter holds them (its own further rules, e.g.
     * TOO_FEW_REPORTING_NEIGHBOURS, are tested in meter-device).
     */
    public byte[] sparseRecoveryAnswerPayload(byte[] requestJson) {
        RecoveryRequestMessage message = RecoveryRequestMessage.fromJson(requestJson);
        java.util.TreeSet<MeterId> missing = new java.util.TreeSet<>();
        message.missing().forEach(m -> missing.add(new MeterId(m)));
        RecoveryRequest request = new RecoveryRequest(neighbourKeys.group(), message.label(), missing);
        RecoveryDecision decision = new RecoveryPolicy(RecoveryPolicy.LEAST_MIN_REPORTING)
                .decide(request, neighbourKeys, message.label(), java.util.Optional.empty());
        if (!(decision instanceof RecoveryDecision.Answer answer)) {
            throw new IllegalStateException(id + " refuses " + message + ": " + decision);
        }
        RecoveryAnswer value = RecoveryResponder.answer(answer.permit(), agreement, neighbourKeys);
        return RecoveryAnswerMessage.seal(Encodings.encode(value, neighbourKeys.group().params()), messageKey);
    }

    /** The payload for psa/v1/{group}/{epoch}/ct/{id}. */
    public byte[] ciphertextPayload(long label, long reading) {
        return CiphertextMessage.seal(Encodings.encode(encryptor.encrypt(label, reading), encryptor.group().params()), messageKey);
    }

    /**
     * The payload for psa/v1/{group}/{epoch}/answer/{id}: this meter's answer to a recovery request, as a meter that
     * accepts reporting sets of two or more computes it (the meter's own rules are tested in meter-device).
     */
    public byte[] recoveryAnswerPayload(byte[] requestJson) {
        RecoveryRequestMessage message = RecoveryRequestMessage.fromJson(requestJson);
        java.util.TreeSet<MeterId> missing = new java.util.TreeSet<>();
        message.missing().forEach(m -> missing.add(new MeterId(m)));
        RecoveryRequest request = new RecoveryRequest(keySet.group(), message.label(), missing);
        RecoveryDecision decision = new RecoveryPolicy(RecoveryPolicy.LEAST_MIN_REPORTING)
                .decide(request, new MeterId(id), keySet, message.label(), java.util.Optional.empty());
        if (!(decision instanceof RecoveryDecision.Answer answer)) {
            throw new IllegalStateException(id + " refuses " + message + ": " + decision);
        }
        RecoveryAnswer value = RecoveryResponder.answer(answer.permit(), agreement);
        return RecoveryAnswerMessage.seal(Encodings.encode(value, keySet.group().params()), messageKey);
    }

    /** A correctly sealed frame around a ciphertext made with a key that is not this meter's share. */
    public byte[] sealWithOwnKey(byte[] ciphertextEncoding) {
        return CiphertextMessage.seal(ciphertextEncoding, messageKey);
    }

    public MessageKey messageKey() {
        return messageKey;
    }
}
