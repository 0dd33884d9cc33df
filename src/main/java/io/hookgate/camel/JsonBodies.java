package io.hookgate.camel;

import static io.hookgate.wire.RejectedRequestException.Reason.MALFORMED_BODY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.json.ReceivedJson;
import io.hookgate.wire.RejectedRequestException;
import java.io.IOException;

/** Reading a verified JSON body as an object, and writing hookgate's own small JSON documents. */
final class JsonBodies {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBodies() {
    }

    /** The body as a JSON object, or a {@code malformed-body} rejection (the message never quotes it). */
    static ObjectNode object(byte[] body) {
        JsonNode node;
        try {
            node = ReceivedJson.tree(body);
        } catch (ReceivedJson.NotUtf8Exception e) {
            throw new RejectedRequestException(MALFORMED_BODY, e.getMessage());
        } catch (IOException e) {
            throw new RejectedRequestException(MALFORMED_BODY, "the body is not valid JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new RejectedRequestException(MALFORMED_BODY, "the body is not a JSON object");
        }
        return object;
    }

    /** A field that must be a string when present: its value, or null when absent or null. */
    static String optionalText(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RejectedRequestException(MALFORMED_BODY, "\"" + field + "\" is not a string");
        }
        return value.textValue();
    }

    /**
     * An HTTP answer's body, as text: platform-http-vertx writes a {@code String} body straight to the
     * response, where a {@code byte[]} goes through a type conversion to an {@code InputStream} and a
     * stream pump, several event-loop tasks per answer (about 40% of the event loop's time under load).
     * Every HTTP component of a drop-in deployment takes a {@code String} too.
     */
    static String answer(ObjectNode object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // a tree of strings always writes
        }
    }

    /** A Kafka record's value. */
    static byte[] bytes(ObjectNode object) {
        try {
            return MAPPER.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // a tree of strings always writes
        }
    }
}
