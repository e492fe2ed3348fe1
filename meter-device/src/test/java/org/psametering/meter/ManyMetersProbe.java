package org.psametering.meter;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.psametering.hardware.EnergySensor;
import org.psametering.hardware.Sensors;
import org.psametering.hardware.SimulatedSensorConfig;
import org.psametering.meter.config.MeterConfig;

/**
 * Manual measurement, not a test: starts N in-memory meters against a broker and reports connected meters and JVM
 * threads. Arguments: brokerUrl meters [virtual].
 */
public final class ManyMetersProbe {

    public static void main(String[] args) throws Exception {
        String broker = args[0];
        int n = Integer.parseInt(args[1]);
        boolean virtual = args.length > 2 && args[2].equals("virtual");
        int baseline = Thread.activeCount();
        List<MeterHandle> meters = new ArrayList<>();
        MeterRuntime.Builder builder = MeterRuntime.builder();
        if (virtual) {
            builder.virtualThreadsForMqtt(true);
        }
        try (EnergySensor sensor = Sensors.open(SimulatedSensorConfig.withSeed(1), Clock.systemUTC());
             MeterRuntime runtime = builder.build()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                meters.add(MeterDevice.start(MeterConfig.inMemory(String.format("p%05d", i), "probe", broker)
                        .withTrust((id, clock) -> org.psametering.meter.agent.TestTrust.meter(id, clock)), sensor,
                        Clock.systemUTC(), runtime));
            }
            long started = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(5));
            long connected = meters.stream().filter(MeterHandle::isConnected).count();
            System.out.printf("meters=%d connected=%d platformThreads=%d (baseline %d)%n", n, connected,
                    Thread.activeCount(), baseline);
            long t1 = System.nanoTime();
            meters.forEach(MeterHandle::close);
            System.out.printf("start: %.1f ms/meter, close: %.1f ms/meter%n", (started - t0) / 1e6 / n,
                    (System.nanoTime() - t1) / 1e6 / n);
        }
    }
}
