package io.hookgate.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.CharConversionException;
import java.io.IOException;

/**
 * The one way hookgate reads a request body as JSON: the bytes must be well-formed UTF-8, and no
 * object may repeat a key (so that no field, a type or an id, has two readings).
 *
 * <p>Why UTF-8 is checked here and not left to Jackson: Jackson looks a field name up by its bytes,
 * four at a time, among the names its factory has already seen in this or any earlier body, padding
 * the last group with 0xFF, and takes a hit without decoding the bytes. 0xFF never occurs in UTF-8,
 * but a body may hold it anyway: {@code "pool\xFF_id"} then reads as {@code "pool_id"}, and the
 * body passes as JSON though it is not UTF-8 (found by fuzzing, 2026-12-06). Turning Jackson's name
 * canonicalization off is no cure: it then reads through a {@code Reader} and reports no byte
 * offsets, which the Toloka batch needs to slice out each event.
 */
public final class ReceivedJson {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private ReceivedJson() {
    }

    /**
     * A streaming parser over {@code body}, which reports byte offsets.
     *
     * @throws NotUtf8Exception if the body is not well-formed UTF-8
     */
    public static JsonParser parser(byte[] body) throws IOException {
        requireUtf8(body);
        return MAPPER.createParser(body);
    }

    /**
     * The body as a tree; {@code null} for an empty body.
     *
     * @throws NotUtf8Exception if the body is not well-formed UTF-8
     * @throws IOException if it is not one JSON value without repeated keys
     */
    public static JsonNode tree(byte[] body) throws IOException {
        requireUtf8(body);
        return MAPPER.readTree(body);
    }

    private static void requireUtf8(byte[] body) throws NotUtf8Exception {
        int at = Utf8.firstInvalid(body);
        if (at >= 0) {
            throw new NotUtf8Exception(at);
        }
    }

    /** A body that is not well-formed UTF-8; the message gives the offset, never the bytes. */
    public static final class NotUtf8Exception extends CharConversionException {

        private static final long serialVersionUID = 1L;

        NotUtf8Exception(int offset) {
            super("the body is not UTF-8 (at byte " + offset + ")");
        }
    }
}
