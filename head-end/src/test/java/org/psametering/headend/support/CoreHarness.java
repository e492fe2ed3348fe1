package org.psametering.headend.support;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.psametering.crypto.psa.PsaParameters;
import org.psametering.headend.HeadEndCore;
import org.psametering.headend.InboundMessage;
import org.psametering.headend.Publisher;
import org.psametering.headend.config.GroupSettings;
import org.psametering.headend.config.StorageSettings;
import org.psametering.headend.store.CiphertextStore;
import org.psametering.headend.store.CounterStore;
import org.psametering.headend.store.Database;
import org.psametering.headend.store.EpochStore;
import org.psametering.headend.store.GroupFence;
import org.psametering.headend.store.MembershipStore;
import org.psametering.headend.store.ResultStore;
import org.psametering.protocol.GroupAnnouncement;
import org.psametering.protocol.Topics;

/** A head-end core over a real database and a recording publisher: the broker is replaced by direct calls. */
public final class CoreHarness implements AutoCloseable {
    public static final SecureRandom RANDOM = new SecureRandom();

    public final Database db;
    public final HeadEndCore core;
    public final RecordingPublisher publisher;
    public final MutableClock clock;
    public final AtomicInteger acks = new AtomicInteger();
    public final FailingDataSource faults = new FailingDataSource();

    public CoreHarness(StorageSettings storage, Path dataDir, MutableClock clock, GroupSettings... groups) {
        this(storage, dataDir, clock, new RecordingPublisher(), groups);
    }

    /** With a publisher of the test's own (e.g. one that fails). */
    public CoreHarness(StorageSettings storage, Path dataDir, MutableClock clock, Publisher publisher, GroupSettings... groups) {
        this(storage, dataDir, clock, publisher, GroupFence.NONE, groups);
    }

    /** With the fence of one of several head-ends sharing the database (see LeaseStore). */
    public CoreHarness(StorageSettings storage, Path dataDir, MutableClock clock, GroupFence fence, GroupSettings... groups) {
        this(storage, dataDir, clock, new RecordingPublisher(), fence, groups);
    }

    private CoreHarness(StorageSettings storage, Path dataDir, MutableClock clock, Publisher publisher, GroupFence fence,
                        GroupSettings... groups) {
        this(storage, dataDir, clock, publisher, fence, UnaryOperator.identity(), Runnable::run, groups);
    }

    /**
     * With the drops of blinded keys after an activation run by {@code keyDrops} (the application runs them on a
     * thread of their own) and every connection taken through {@code decorate} (then {@link #faults}).
     */
    public static CoreHarness withKeyDrops(Path dataDir, MutableClock clock, UnaryOperator<DataSource> decorate, Executor keyDrops,
                                           GroupSettings... groups) {
        return new CoreHarness(StorageSettings.defaults(), dataDir, clock, new RecordingPublisher(), GroupFence.NONE, decorate, keyDrops,
                groups);
    }

    private CoreHarness(StorageSettings storage, Path dataDir, MutableClock clock, Publisher publisher, GroupFence fence,
                        UnaryOperator<DataSource> decorate, Executor keyDrops, GroupSettings... groups) {
        this.clock = clock;
        this.db = Database.open(storage, dataDir, pool -> faults.wrap(decorate.apply(pool)));
        this.publisher = publisher instanceof RecordingPublisher r ? r : new RecordingPublisher();
        Publisher out = publisher instanceof RecordingPublisher ? this.publisher : (topic, payload, retained) -> {
            publisher.publish(topic, payload, retained);
            this.publisher.publish(topic, payload, retained);
        };
        this.core = new HeadEndCore(clock, new EpochStore(db), new CiphertextStore(db, fence), new ResultStore(db, fence), new CounterStore(db),
                new MembershipStore(db), out, RANDOM, TestPki.VERIFIER, keyDrops, 2);
        for (GroupSettings group : groups) {
            core.reconfigure(group);
        }
    }

    public static GroupSettings group(String id, int stepSeconds, int deadlineSeconds, String... members) {
        return new GroupSettings(id, PsaParameters.DEFAULT.name(), stepSeconds, deadlineSeconds, 4 * stepSeconds, List.of(members));
    }

    public void deliver(String topic, byte[] payload) {
        core.process(List.of(new InboundMessage(topic, payload, acks::incrementAndGet)));
    }

    public GroupAnnouncement announcement(String group) {
        return GroupAnnouncement.fromJson(publisher.last(Topics.announce(group)).orElseThrow().payload());
    }

    /** Runs the whole key setup of the group's current epoch with fresh meters; returns them by id. */
    public Map<String, TestMeter> setUpKeys(String group) {
        GroupAnnouncement announcement = announcement(group);
        byte[] announcementJson = announcement.toJson();
        Map<String, TestMeter> meters = new LinkedHashMap<>();
        for (String id : announcement.members()) {
            TestMeter meter = new TestMeter(id, PsaParameters.byName(announcement.params()), RANDOM);
            meters.put(id, meter);
            deliver(Topics.publicKey(group, announcement.epoch(), id), meter.publicKeyPayload(announcementJson));
        }
        if (announcement.sparse()) {
            // a sparse epoch (maskGraph sparse, or auto above 1 000 members): each meter blinds over its own key set
            for (TestMeter meter : meters.values()) {
                byte[] own = publisher.last(Topics.meterKeySet(group, announcement.epoch(), meter.id())).orElseThrow().payload();
                deliver(Topics.blindedKey(group, announcement.epoch(), meter.id()), meter.sparseBlindedKeyPayload(own));
            }
            return meters;
        }
        byte[] keySet = publisher.last(Topics.keySet(group, announcement.epoch())).orElseThrow().payload();
        for (TestMeter meter : meters.values()) {
            deliver(Topics.blindedKey(group, announcement.epoch(), meter.id()), meter.blindedKeyPayload(keySet));
        }
        return meters;
    }

    /** Sends one ciphertext per given meter for the label in one batch; returns the sum of the readings. */
    public long sendStep(String group, long epoch, long label, Map<String, TestMeter> meters, long firstReading) {
        List<InboundMessage> batch = new ArrayList<>();
        long sum = 0;
        long reading = firstReading;
        for (TestMeter meter : meters.values()) {
            batch.add(new InboundMessage(Topics.ciphertext(group, epoch, meter.id()), meter.ciphertextPayload(label, reading), acks::incrementAndGet));
            sum += reading;
            reading += 7;
        }
        core.process(batch);
        return sum;
    }

    @Override
    public void close() {
        db.close();
    }
}
