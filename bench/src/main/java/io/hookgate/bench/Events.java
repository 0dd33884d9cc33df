package io.hookgate.bench;

import io.hookgate.toloka.TopicTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Realistic Toloka event batches for the benchmark: the fields Toloka sends (CONTRACTS.md), ids shaped
 * like Toloka's (numeric project and pool ids, {@code <hex>--<hex>} assignment ids), a fresh random
 * uuid per event, about 300 bytes per event. Event types are drawn from {@link #TYPES}, so a batch
 * goes to up to three topics, as a real pool's stream does.
 */
public final class Events {

    /** The event types of the generated batches; BrokerMain creates their topics in advance. */
    public static final List<String> TYPES = List.of("ASSIGNMENT_CREATED", "ASSIGNMENT_SUBMITTED", "ASSIGNMENT_APPROVED");
    /** hookgate's default topic template, which the baseline uses too. */
    public static final TopicTemplate TOPICS = new TopicTemplate("toloka.{type}");

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Events() {
    }

    /** A batch {@code {"events":[...]}} of {@code count} events, UTF-8. */
    public static byte[] batch(int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String eventTime = Instant.now().toString();
        StringBuilder json = new StringBuilder(64 + count * 320);
        json.append("{\"events\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            appendEvent(json, random, eventTime);
        }
        json.append("]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Exactly {@code size} bytes of event JSON (for the JMH body sizes; the verifier does not parse it). */
    public static byte[] bodyOfSize(int size) {
        StringBuilder json = new StringBuilder(size + 400).append("{\"events\":[");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (json.length() < size) {
            appendEvent(json, random, "2026-11-23T12:00:00.123Z");
            json.append(',');
        }
        json.setLength(size);
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendEvent(StringBuilder json, ThreadLocalRandom random, String eventTime) {
        String suite = hex(random, 10) + "--" + hex(random, 24);
        json.append("{\"event_time\":\"").append(eventTime)
                .append("\",\"project_id\":\"").append(100_000 + random.nextInt(900_000))
                .append("\",\"pool_id\":\"").append(40_000_000 + random.nextInt(10_000_000))
                .append("\",\"uuid\":\"").append(uuid(random))
                .append("\",\"task_suite_id\":\"").append(suite)
                .append("\",\"assignment_id\":\"").append(hex(random, 10)).append("--").append(hex(random, 24))
                .append("\",\"webhook_subscription_id\":\"").append(hex(random, 24))
                .append("\",\"type\":\"").append(TYPES.get(random.nextInt(TYPES.size())))
                .append("\"}");
    }

    /** A random version-4 UUID without SecureRandom (uniqueness matters here, not secrecy). */
    private static String uuid(ThreadLocalRandom random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    private static String hex(ThreadLocalRandom random, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = HEX[random.nextInt(16)];
        }
        return new String(out);
    }
}
