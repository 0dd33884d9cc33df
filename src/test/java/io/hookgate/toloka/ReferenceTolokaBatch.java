package io.hookgate.toloka;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.hookgate.json.ReceivedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** The tree-based parse TolokaBatch used before it streamed: the reference its results are compared with. */
final class ReferenceTolokaBatch {

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_]{1,100}");

    private ReferenceTolokaBatch() {
    }

    /**
     * @param body the raw request body, already verified
     * @return the events in body order; empty for {@code {"events":[]}}
     * @throws MalformedBatchException if the body is not a well-formed batch
     */
    static List<TolokaEvent> parse(byte[] body) throws MalformedBatchException {
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

    private static List<TolokaEvent> readEvents(JsonParser parser, byte[] body)
            throws IOException, MalformedBatchException {
        List<TolokaEvent> events = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            expect(token == JsonToken.START_OBJECT, "event #" + (events.size() + 1) + " is not an object");
            long start = parser.currentTokenLocation().getByteOffset();
            JsonNode event = parser.readValueAsTree();
            long end = parser.currentLocation().getByteOffset();
            // Jackson reports no byte offsets for the UTF-16/32 it auto-detects; JSON on the wire is UTF-8
            expect(start >= 0 && end > start, "the body is not UTF-8 JSON");
            events.add(toEvent(event, Arrays.copyOfRange(body, (int) start, (int) end), events.size() + 1));
        }
        return events;
    }

    private static TolokaEvent toEvent(JsonNode event, byte[] json, int position) throws MalformedBatchException {
        JsonNode type = event.get("type");
        expect(type != null && type.isTextual() && EVENT_TYPE.matcher(type.textValue()).matches(),
                "event #" + position + " has no \"type\" made of letters, digits and underscores");
        return new TolokaEvent(type.textValue(), text(event, "uuid"), text(event, "pool_id"),
                text(event, "project_id"), text(event, "assignment_id"), json);
    }

    /** A scalar field as text (Toloka's ids are strings; a number is printed as Jackson reads it), else null. */
    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static void expect(boolean condition, String problem) throws MalformedBatchException {
        if (!condition) {
            throw new MalformedBatchException(problem);
        }
    }
}
