package io.hookgate.intake;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads the text headers hookgate writes on its records (intake and dead-letter topics). */
public final class RecordHeaders {

    private RecordHeaders() {
    }

    /** The last header {@code name} of {@code record} as UTF-8 text, or null when absent or without a value. */
    public static String text(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
