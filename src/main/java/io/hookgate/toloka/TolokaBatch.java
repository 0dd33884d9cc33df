package io.hookgate.toloka;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.hookgate.json.ReceivedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a verified Toloka request body, {@code {"events":[{...}, ...]}}, in one pass.
 *
 * <p>Each event's value is <em>sliced</em> from the raw bytes rather than re-serialized, so that a
 * consumer sees exactly what Toloka sent: unknown fields, number precision (for example a
 * {@code confidence} with more digits than a double holds) and key order all survive.
 *
 * <p>Rejected as malformed: anything but a JSON object at the root, a missing or non-array
 * {@code events}, an element that is not an object, an event without a string {@code type} made of
 * letters, digits and underscores (it names the topic), duplicate keys, trailing content. Other root
 * fields are ignored. Unknown event types are accepted: the list is open (CONTRACTS.md). A body that is
 * not UTF-8, or beyond the parser's limits (nesting deeper than 1000, numbers over 1000 digits), is
 * malformed too.
 */
public final class TolokaBatch {

    private static final int MAX_EVENT_TYPE_LENGTH = 100;

    private TolokaBatch() {
    }

    /**
     * @param body the raw request body, already verified
     * @return the events in body order; empty for {@code {"events":[]}}
     * @throws MalformedBatchException if the body is not a well-formed batch
     */
    public static List<TolokaEvent> parse(byte[] body) throws MalformedBatchException {
        try (JsonParser parser = ReceivedJson.parser(body)) {
            expect(parser.nextToken() == JsonToken.START_OBJECT, "the body is not a JSON object");
            List<TolokaEvent> events = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("events".equals(field)) {
                    expect(value == JsonToken.START_ARRAY, "\"events\" is not an array");
                    events = readEvents(parser, body);
                } else {
                    parser.skipChildren();
                }
            }
            expect(events != null, "the body has no \"events\" array");
            expect(parser.nextToken() == null, "the body has content after the JSON object");
            return events;
        } catch (ReceivedJson.NotUtf8Exception e) {
            throw new MalformedBatchException(e.getMessage());
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input: keep only the position, when it has one (errors for
            // exceeding its limits on nesting, number and name length have none)
            JsonLocation at = e.getLocation();
            throw new MalformedBatchException(at == null || at.getByteOffset() < 0
                    ? "the body is not valid JSON or exceeds the parser's limits"
                    : "the body is not valid JSON (at byte " + at.getByteOffset() + ")");
        } catch (IOException e) {
            throw new MalformedBatchException("the body could not be read as JSON");
        }
    }

    /**
     * Each event in one streaming pass, without a tree: the five fields hookgate reads are taken as they
     * go by, everything else is skipped, still tokenized, so that repeated keys and the parser's limits
     * are checked throughout, and the event's bytes are sliced from the body.
     */
    private static List<TolokaEvent> readEvents(JsonParser parser, byte[] body)
            throws IOException, MalformedBatchException {
        List<TolokaEvent> events = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int position = events.size() + 1;
            if (token != JsonToken.START_OBJECT) {
                throw new MalformedBatchException("event #" + position + " is not an object");
            }
            long start = parser.currentTokenLocation().getByteOffset();
            String type = null;
            String uuid = null;
            String poolId = null;
            String projectId = null;
            String assignmentId = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : skip(parser);
                    case "uuid" -> uuid = text(parser, value);
                    case "pool_id" -> poolId = text(parser, value);
                    case "project_id" -> projectId = text(parser, value);
                    case "assignment_id" -> assignmentId = text(parser, value);
                    default -> parser.skipChildren();
                }
            }
            long end = parser.currentLocation().getByteOffset();
            // Jackson reports no byte offsets for the UTF-16/32 it auto-detects; JSON on the wire is UTF-8
            expect(start >= 0 && end > start, "the body is not UTF-8 JSON");
            if (type == null || !isEventType(type)) {
                throw new MalformedBatchException(
                        "event #" + position + " has no \"type\" made of letters, digits and underscores");
            }
            events.add(new TolokaEvent(type, uuid, poolId, projectId, assignmentId,
                    Arrays.copyOfRange(body, (int) start, (int) end)));
        }
        return events;
    }

    /**
     * A scalar field as text, else null. Toloka's ids are strings; a number is given as Jackson reads it
     * (as its tree model printed it, before this parse streamed: {@code 1.50} as {@code 1.5}).
     */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING, VALUE_TRUE, VALUE_FALSE -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue().toString();
            case START_OBJECT, START_ARRAY -> skip(parser);
            default -> null;
        };
    }

    /** Skips an object or array value (nothing, for a scalar); null, for the field it was. */
    private static String skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    /** 1 to 100 ASCII letters, digits and underscores: the type names a topic. */
    static boolean isEventType(String type) {
        if (type.isEmpty() || type.length() > MAX_EVENT_TYPE_LENGTH) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static void expect(boolean condition, String problem) throws MalformedBatchException {
        if (!condition) {
            throw new MalformedBatchException(problem);
        }
    }
}
