package io.hookgate.intake;

import io.hookgate.toloka.TolokaEvent;
import io.hookgate.wire.HookgateHeaders;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An accepted request as it stands on the intake topic: one record per verified HTTP request, its value
 * the raw body exactly as received. Writing it is all the HTTP path does before answering 200, so a
 * request is in Kafka whole or not at all; the {@link FanOutWorker} then publishes its events.
 *
 * <p>The key decides the intake partition, and every duplicate of an event must land in the same one
 * (one partition has one fan-out writer at a time, which is what makes deduplication race-free): a
 * Toloka batch is keyed by its pool (Toloka subscriptions are per pool, and an event keeps its pool
 * when it is resent), a Skyvern run by the hash of its body (a redelivery is byte-identical).
 *
 * @param source {@code toloka} or {@code skyvern}
 * @param key the partition key
 * @param requestId the HTTP request's id
 * @param receivedAt when hookgate started reading the request
 * @param body the raw request body
 */
public record IntakeRecord(String source, String key, String requestId, Instant receivedAt, byte[] body) {

    public static final String TOLOKA = "toloka";
    public static final String SKYVERN = "skyvern";

    public IntakeRecord {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(body, "body");
    }

    /** A verified Toloka batch: keyed by the pool of its first event (else the request id). */
    public static IntakeRecord toloka(List<TolokaEvent> events, String requestId, Instant receivedAt, byte[] body) {
        String pool = events.isEmpty() ? null : events.get(0).poolId();
        return new IntakeRecord(TOLOKA, pool != null ? pool : requestId, requestId, receivedAt, body);
    }

    /** A verified Skyvern run webhook: keyed by the SHA-256 of its body. */
    public static IntakeRecord skyvern(String requestId, Instant receivedAt, byte[] body) {
        return new IntakeRecord(SKYVERN, sha256(body), requestId, receivedAt, body);
    }

    /** The record headers: source, request id, received-at. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HookgateHeaders.SOURCE, source);
        headers.put(HookgateHeaders.REQUEST_ID, requestId);
        headers.put(HookgateHeaders.RECEIVED_AT, receivedAt.toString());
        return headers;
    }

    /**
     * Reads an intake record back from its parts.
     *
     * @param header the value of a header by name, or null when absent
     * @throws IllegalArgumentException when a header hookgate writes is missing or unreadable
     */
    public static IntakeRecord read(String key, java.util.function.Function<String, String> header, byte[] value) {
        String source = header.apply(HookgateHeaders.SOURCE);
        String requestId = header.apply(HookgateHeaders.REQUEST_ID);
        String receivedAt = header.apply(HookgateHeaders.RECEIVED_AT);
        if (source == null || requestId == null || receivedAt == null || value == null) {
            throw new IllegalArgumentException("not an intake record: a header or the value is missing");
        }
        try {
            return new IntakeRecord(source, key, requestId, Instant.parse(receivedAt), value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an intake record: " + HookgateHeaders.RECEIVED_AT + " is not an instant");
        }
    }

    /** Lower-case hex SHA-256. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
