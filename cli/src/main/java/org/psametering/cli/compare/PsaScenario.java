package org.psametering.cli.compare;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.psametering.crypto.keysetup.AggregationKeys;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;
import org.psametering.crypto.keysetup.BlindedKey;
import org.psametering.crypto.keysetup.KeySet;
import org.psametering.crypto.keysetup.KeySetup;
import org.psametering.crypto.keysetup.MeterId;
import org.psametering.crypto.psa.AggregationKey;
import org.psametering.crypto.psa.Ciphertext;
import org.psametering.crypto.psa.GroupContext;
import org.psametering.crypto.psa.PsaAggregator;
import org.psametering.crypto.psa.PsaEncryptor;
import org.psametering.crypto.psa.PsaKey;
import org.psametering.crypto.psa.PsaParameters;
import org.psametering.crypto.wire.Encodings;
import org.psametering.crypto.wire.SecretKeyCodec;

/** The smart-meter scenario with lattice PSA and its trustless X25519 key setup, timed phase by phase. */
final class PsaScenario {

    static final String NAME = "PSA";
    private static final String GROUP_ID = "compare";

    private PsaScenario() {
    }

    /** Fails with an IllegalArgumentException naming the limit when PSA cannot take this configuration. */
    static GroupContext group(PsaParameters params, int clients, long maxValue) {
        GroupContext group = new GroupContext(GROUP_ID, 0, clients, params);
        if (maxValue > group.maxReading()) {
            throw new IllegalArgumentException("--max-value " + maxValue + " exceeds what PSA parameter set "
                    + params.name() + " decrypts exactly for " + clients + " clients (" + group.maxReading() + ")");
        }
        return group;
    }

    static SchemeFigures run(PsaParameters params, Readings readings, long maxValue, Progress progress) {
        int n = readings.clients();
        GroupContext group = group(params, n, maxValue);
        SecureRandom random = new SecureRandom();

        progress.phase(NAME, "setup: key pairs and pairwise masks of " + n + " clients");
        Stopwatch setup = new Stopwatch();
        setup.start();
        List<MeterId> ids = new ArrayList<>(n);
        List<AgreementKeyPair> pairs = new ArrayList<>(n);
        List<PsaKey> keys = new ArrayList<>(n);
        TreeMap<MeterId, AgreementPublicKey> members = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            MeterId id = new MeterId(String.format("meter-%05d", i));
            AgreementKeyPair pair = AgreementKeyPair.generate(random);
            ids.add(id);
            pairs.add(pair);
            keys.add(PsaKey.generate(params, random));
            members.put(id, pair.publicKey());
        }
        KeySet keySet = new KeySet(group, members);
        List<BlindedKey> blinded = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            blinded.add(KeySetup.blind(ids.get(i), pairs.get(i), keys.get(i), keySet));
            progress.step(NAME, "setup", i + 1, n);
        }
        setup.stop();

        progress.phase(NAME, "aggregation key from " + n + " blinded keys");
        Stopwatch derive = new Stopwatch();
        derive.start();
        AggregationKey aggregationKey = AggregationKeys.combine(keySet, blinded);
        derive.stop();

        progress.phase(NAME, "encrypt " + n + " x " + readings.labels() + " readings");
        List<PsaEncryptor> encryptors = new ArrayList<>(n);
        for (PsaKey key : keys) {
            encryptors.add(new PsaEncryptor(key, group, Long.MIN_VALUE));
        }
        PsaAggregator aggregator = new PsaAggregator(aggregationKey, group);
        Stopwatch encrypt = new Stopwatch();
        Stopwatch decrypt = new Stopwatch();
        int wrong = 0;
        Ciphertext sample = null;
        for (int l = 0; l < readings.labels(); l++) {
            long label = Readings.label(l);
            List<Ciphertext> cts = new ArrayList<>(n);
            encrypt.start();
            for (int i = 0; i < n; i++) {
                cts.add(encryptors.get(i).encrypt(label, readings.values()[l][i]));
            }
            encrypt.stop();
            sample = cts.get(0);
            decrypt.start();
            long sum = aggregator.aggregate(label, cts);
            decrypt.stop();
            if (sum != readings.trueSums()[l]) {
                wrong++;
            }
            progress.step(NAME, "encrypt+decrypt", l + 1, readings.labels());
        }
        return new SchemeFigures(NAME, params.toString(), setup.millis(), derive.millis(),
                encrypt.millis() / ((double) n * readings.labels()), decrypt.millis() / readings.labels(), 0,
                Encodings.encode(sample, params).length, SecretKeyCodec.export(keys.get(0)).length,
                Encodings.encode(blinded.get(0)).length, n * group.maxReading(), wrong);
    }
}
