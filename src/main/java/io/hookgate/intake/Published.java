package io.hookgate.intake;

import java.util.Map;

/**
 * One record hookgate publishes for consumers: a Toloka event on the topic of its type, or a Skyvern run.
 *
 * @param topic where it goes
 * @param key the record key, or null for none
 * @param headers the record headers in order, each sent as UTF-8 (no null values)
 * @param value the bytes exactly as the provider sent them
 * @param dedupId what identifies a redelivery of the same thing ({@code toloka:<uuid>},
 *     {@code skyvern:<sha-256 of the body>}), or null when nothing does (an event without a uuid)
 */
public record Published(String topic, String key, Map<String, String> headers, byte[] value, String dedupId) {
}
