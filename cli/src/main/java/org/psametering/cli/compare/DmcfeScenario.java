package org.psametering.cli.compare;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.psametering.crypto.dmcfe.DiscreteLogOutOfRangeException;
import org.psametering.crypto.dmcfe.DiscreteLogTable;
import org.psametering.crypto.dmcfe.DmcfeCiphertext;
import org.psametering.crypto.dmcfe.DmcfeClientSecret;
import org.psametering.crypto.dmcfe.DmcfeDecryptor;
import org.psametering.crypto.dmcfe.DmcfeEncodings;
import org.psametering.crypto.dmcfe.DmcfeEncryptor;
import org.psametering.crypto.dmcfe.DmcfeFunctionalKey;
import org.psametering.crypto.dmcfe.DmcfeGroup;
import org.psametering.crypto.dmcfe.DmcfeKeySetup;
import org.psametering.crypto.dmcfe.DmcfeKeyShare;
import org.psametering.crypto.dmcfe.DmcfeKeyShares;
import org.psametering.crypto.dmcfe.pairing.GtElement;
import org.psametering.crypto.keysetup.AgreementKeyPair;
import org.psametering.crypto.keysetup.AgreementPublicKey;

/** The same scenario with DMCFE (Chotard et al. 2018) for y = (1, ..., 1) on BLS12-381, timed phase by phase. */
final class DmcfeScenario {

    static final String NAME = "DMCFE";
    private static final String GROUP_ID = "compare";

    private DmcfeScenario() {
    }

    /** The scheme's figures plus the discrete-log breakdown. */
    record Result(SchemeFigures figures, DiscreteLogFigures discreteLog) {
    }

    static Result run(Readings readings, long maxValue, Progress progress) {
        int n = readings.clients();
        DmcfeGroup group = DmcfeGroup.onBls12381(GROUP_ID, n, maxValue);
        SecureRandom random = new SecureRandom();

        progress.phase(NAME, "setup: key pairs and pairwise T_i shares of " + n + " clients");
        Stopwatch setup = new Stopwatch();
        setup.start();
        List<AgreementKeyPair> pairs = new ArrayList<>(n);
        List<AgreementPublicKey> publicKeys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AgreementKeyPair pair = AgreementKeyPair.generate(random);
            pairs.add(pair);
            publicKeys.add(pair.publicKey());
        }
        List<DmcfeClientSecret> secrets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            AgreementKeyPair mine = pairs.get(i);
            secrets.add(DmcfeKeySetup.setup(group, i, other -> mine.sharedSecret(publicKeys.get(other)), random));
            progress.step(NAME, "setup", i + 1, n);
        }
        setup.stop();

        progress.phase(NAME, "functional key shares of " + n + " clients and their sum");
        Stopwatch derive = new Stopwatch();
        derive.start();
        List<DmcfeKeyShare> shares = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shares.add(DmcfeKeyShares.derive(secrets.get(i)));
            progress.step(NAME, "key shares", i + 1, n);
        }
        DmcfeFunctionalKey key = DmcfeFunctionalKey.combine(group, shares);
        derive.stop();

        progress.phase(NAME, "baby-step table for sums up to " + group.bound());
        Stopwatch tableTime = new Stopwatch();
        tableTime.start();
        DiscreteLogTable table = DiscreteLogTable.build(group.curve(), group.bound(),
                (done, total) -> progress.step(NAME, "baby steps", done, total));
        tableTime.stop();
        DmcfeDecryptor decryptor = new DmcfeDecryptor(key, table);

        progress.phase(NAME, "encrypt " + n + " x " + readings.labels() + " readings, decrypt each label");
        List<DmcfeEncryptor> encryptors = new ArrayList<>(n);
        for (DmcfeClientSecret secret : secrets) {
            encryptors.add(new DmcfeEncryptor(secret, Long.MIN_VALUE));
        }
        Stopwatch encrypt = new Stopwatch();
        Stopwatch pairing = new Stopwatch();
        Stopwatch log = new Stopwatch();
        long giantSteps = 0;
        int wrong = 0;
        DmcfeCiphertext sample = null;
        for (int l = 0; l < readings.labels(); l++) {
            long label = Readings.label(l);
            List<DmcfeCiphertext> cts = new ArrayList<>(n);
            encrypt.start();
            for (int i = 0; i < n; i++) {
                cts.add(encryptors.get(i).encrypt(label, readings.values()[l][i]));
                progress.step(NAME, "encrypt label " + label, i + 1, n);
            }
            encrypt.stop();
            sample = cts.get(0);
            pairing.start();
            GtElement exponent = decryptor.sumInExponent(label, cts);
            pairing.stop();
            log.start();
            try {
                long sum = table.log(exponent, (done, total) -> progress.step(NAME, "discrete log label " + label,
                        done, total));
                if (sum != readings.trueSums()[l]) {
                    wrong++;
                }
            } catch (DiscreteLogOutOfRangeException e) {
                wrong++;
            }
            log.stop();
            giantSteps += Math.min(readings.trueSums()[l] / table.babySteps() + 1, table.maxGiantSteps());
        }
        double perLabelPairing = pairing.millis() / readings.labels();
        double perLabelLog = log.millis() / readings.labels();
        SchemeFigures figures = new SchemeFigures(NAME, group.curve().name() + ", y = (1,...,1), BSGS bound "
                + group.bound(), setup.millis(), derive.millis(),
                encrypt.millis() / ((double) n * readings.labels()), perLabelPairing + perLabelLog, tableTime.millis(),
                DmcfeEncodings.encode(sample).length, DmcfeClientSecret.SCALAR_BYTES,
                DmcfeEncodings.keyShareLength(group.curve()), table.bound(), wrong);
        DiscreteLogFigures discreteLog = new DiscreteLogFigures(table.bound(), table.babySteps(), table.memoryBytes(),
                tableTime.millis(), table.maxGiantSteps(), perLabelPairing, perLabelLog,
                log.millis() * 1000.0 / giantSteps);
        return new Result(figures, discreteLog);
    }
}
