package org.psametering.headend.crash;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.psametering.headend.support.TestMeter;

/**
 * The simulated meters' expensive work (key pairs, signed keys, blinded keys over about 80 neighbours), remembered
 * across the runs of one sweep. A meter's answer depends only on what it was sent, and with the head-end's randomness
 * fixed per run ({@link CrashLife}) every run sends the same bytes up to its crash: each later run gets the same
 * answers without computing them again. A crash that changes what the head-end sends (a new draw) misses and computes.
 */
final class MeterWork {
    private final Map<String, TestMeter> meters = new HashMap<>();
    private final Map<TestMeter, String> keys = new IdentityHashMap<>();
    private final Map<String, byte[]> payloads = new HashMap<>();

    /** The meter that answers {@code announcement} (a new one per distinct announcement, as a meter starting its setup). */
    TestMeter meter(String id, byte[] announcement, Supplier<TestMeter> fresh) {
        String key = id + "|" + digest(announcement);
        TestMeter meter = meters.computeIfAbsent(key, k -> fresh.get());
        keys.put(meter, key);
        return meter;
    }

    /** What {@code meter} (one of {@link #meter}'s) sends in answer to {@code input} ({@code what}: which answer). */
    byte[] answer(TestMeter meter, String what, byte[] input, Supplier<byte[]> compute) {
        return payloads.computeIfAbsent(keys.get(meter) + "|" + what + "|" + digest(input), k -> compute.get()).clone();
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
