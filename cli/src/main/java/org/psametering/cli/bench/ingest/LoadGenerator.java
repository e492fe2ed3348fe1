package org.psametering.cli.bench.ingest;

import java.util.List;
import java.util.function.IntFunction;

/** Publishes the simulated meters' messages, QoS 1, and says when the broker acknowledged them all. */
public interface LoadGenerator extends AutoCloseable {
    /** Publishes {@code count} messages made on demand and waits for every PUBACK. */
    ParallelPublisher.Timing publishAll(int count, IntFunction<ParallelPublisher.Outgoing> messageAt) throws InterruptedException;

    /** Publishes everything and waits for every PUBACK. */
    default ParallelPublisher.Timing publishAll(List<ParallelPublisher.Outgoing> messages) throws InterruptedException {
        return publishAll(messages.size(), messages::get);
    }

    /** The OS process doing the publishing, for its CPU time; this one when the generator runs in-process. */
    default ProcessHandle process() {
        return ProcessHandle.current();
    }

    @Override
    void close();
}
