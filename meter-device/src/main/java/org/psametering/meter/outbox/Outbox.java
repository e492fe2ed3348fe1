package org.psametering.meter.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded, persistent queue of ciphertext messages not yet acknowledged by the broker, oldest first.
 *
 * <p>When full, the oldest entry is dropped (counted and logged): after a week-long outage recent readings are worth more
 * than old ones. An added entry is saved before {@link #add} returns, so it survives a crash. Acknowledgements are saved in
 * batches of {@link #ACK_SAVE_BATCH} (and whenever the queue empties) because a drain after an outage acknowledges hundreds
 * of entries and rewriting the file for each would be quadratic; a crash in between re-sends at most a batch, which QoS 1
 * receivers must tolerate anyway.
 */
public final class Outbox {

    static final int ACK_SAVE_BATCH = 32;
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final int capacity;
    private final OutboxStore store;
    private final Consumer<OutboxEntry> onAcknowledged;
    private final ArrayDeque<OutboxEntry> entries;
    private long nextSequence;
    private long dropped;
    private int unsavedAcks;

    public Outbox(int capacity, OutboxStore store) {
        this(capacity, store, entry -> { });
    }

    /** As above; {@code onAcknowledged} hears of every entry an acknowledgement removed (quick, thread-safe, must not throw). */
    public Outbox(int capacity, OutboxStore store, Consumer<OutboxEntry> onAcknowledged) {
        this.onAcknowledged = onAcknowledged;
        if (capacity < 1) {
            throw new IllegalArgumentException("outbox capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.store = store;
        List<OutboxEntry> loaded = store.load();
        this.entries = new ArrayDeque<>(loaded);
        this.nextSequence = loaded.isEmpty() ? 1 : loaded.get(loaded.size() - 1).sequence() + 1;
        if (entries.size() > capacity) {
            trimToCapacity();
            save();
        }
    }

    /** Queues a message (dropping the oldest if full) and saves the queue before returning. */
    public synchronized OutboxEntry add(long label, String topic, byte[] payload) {
        OutboxEntry entry = new OutboxEntry(nextSequence++, label, topic, payload);
        entries.addLast(entry);
        trimToCapacity();
        save();
        return entry;
    }

    /** The oldest entry whose sequence is not in {@code skip} (the ones already in flight). */
    public synchronized Optional<OutboxEntry> oldestExcept(Set<Long> skip) {
        for (OutboxEntry e : entries) {
            if (!skip.contains(e.sequence())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The broker has the message: forget it. Unknown sequences (already dropped or acknowledged) are ignored. */
    public synchronized void acknowledge(long sequence) {
        for (Iterator<OutboxEntry> it = entries.iterator(); it.hasNext(); ) {
            OutboxEntry entry = it.next();
            if (entry.sequence() == sequence) {
                it.remove();
                unsavedAcks++;
                if (entries.isEmpty() || unsavedAcks >= ACK_SAVE_BATCH) {
                    save();
                }
                onAcknowledged.accept(entry);
                return;
            }
        }
    }

    /** Saves pending acknowledgements (on shutdown). */
    public synchronized void flush() {
        if (unsavedAcks > 0) {
            save();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Entries dropped because the outbox was full, since this process started. */
    public synchronized long droppedCount() {
        return dropped;
    }

    public synchronized List<OutboxEntry> snapshot() {
        return List.copyOf(entries);
    }

    private void trimToCapacity() {
        while (entries.size() > capacity) {
            OutboxEntry oldest = entries.removeFirst();
            dropped++;
            log.warn("outbox full ({} entries): dropped the oldest unsent reading, label {} ({} dropped so far)",
                    capacity, oldest.label(), dropped);
        }
    }

    private void save() {
        store.save(new ArrayList<>(entries));
        unsavedAcks = 0;
    }
}
