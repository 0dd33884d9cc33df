package io.hookgate.toloka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TolokaBatchTest {

    private static final String APPROVED = "{\"type\":\"ASSIGNMENT_APPROVED\",\"uuid\":\"uuid-1\",\"pool_id\":\"pool-1\","
            + "\"project_id\":\"project-1\",\"assignment_id\":\"assignment-1\"}";
    private static final String CLOSED = "{\"type\":\"POOL_CLOSED\",\"uuid\":\"uuid-2\",\"pool_id\":\"pool-2\","
            + "\"project_id\":\"project-2\",\"close_reason\":\"MANUAL\"}";
    private static final String OVERLAP = "{\"type\":\"DYNAMIC_OVERLAP_COMPLETED\",\"uuid\":\"uuid-3\","
            + "\"pool_id\":\"pool-3\",\"project_id\":\"project-3\",\"task_id\":\"task-3\"}";

    @Test
    void shouldParseThreeEventsInBodyOrder() throws Exception {
        List<TolokaEvent> events = parse("{\"events\":[" + APPROVED + "," + CLOSED + "," + OVERLAP + "]}");

        assertEquals(3, events.size());
        assertEvent(events.get(0), "ASSIGNMENT_APPROVED", "uuid-1", "pool-1", "project-1", "assignment-1");
        assertEvent(events.get(1), "POOL_CLOSED", "uuid-2", "pool-2", "project-2", null);
        assertEvent(events.get(2), "DYNAMIC_OVERLAP_COMPLETED", "uuid-3", "pool-3", "project-3", null);
    }

    @Test
    void shouldKeepEachEventsBytesExactlyAsReceived() throws Exception {
        // whitespace inside and between events, more digits than a double holds, an unknown nested field,
        // multi-byte UTF-8 before and inside events (byte offsets differ from char offsets)
        String first = "{ \"type\" : \"DYNAMIC_OVERLAP_COMPLETED\",\n\t\"uuid\":\"uuid-1\" ,"
                + " \"confidence\": 0.12345678901234567890123,\n"
                + "  \"output_values\": {\"label\": \"Привет\", \"nested\": {\"deep\": [1, 2.50, {\"x\": null}]}},\n"
                + "  \"pool_id\": \"pool-1\" }";
        String second = "{\"type\":\"ASSIGNMENT_APPROVED\",\"comment\":\"Привет, мир — ✓ 😀\",\"assignment_id\":\"a-2\"}";
        String third = "{\n  \"type\": \"TEST_EVENT\",\n  \"future_field\": {\"unknown\": true}\n}";
        String body = "{\n  \"greeting\": \"Привет\",\n  \"events\" : [ " + first + " ,\n\n   " + second
                + "\r\n,\t" + third + "   ]\n}\n";
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);

        List<TolokaEvent> events = TolokaBatch.parse(raw);

        assertEquals(3, events.size());
        assertSlice(raw, first, events.get(0).json());
        assertSlice(raw, second, events.get(1).json());
        assertSlice(raw, third, events.get(2).json());
    }

    @Test
    void shouldParseAnEmptyBatchAsNoEvents() throws Exception {
        assertEquals(List.of(), parse("{\"events\":[]}"));
    }

    @Test
    void shouldIgnoreOtherRootFields() throws Exception {
        List<TolokaEvent> events = parse("{\"before\":{\"events\":\"not these\"},\"events\":[" + APPROVED
                + "],\"after\":[1,2,{\"a\":\"b\"}],\"flag\":true}");

        assertEquals(1, events.size());
        assertEquals("ASSIGNMENT_APPROVED", events.get(0).type());
    }

    @Test
    void shouldAcceptUnknownEventTypes() throws Exception {
        List<TolokaEvent> events = parse("{\"events\":[{\"type\":\"SOMETHING_NEW_2031\"},{\"type\":\"lower_case\"}]}");

        assertEquals("SOMETHING_NEW_2031", events.get(0).type());
        assertEquals("lower_case", events.get(1).type());
    }

    @Test
    void shouldAcceptATypeOf100Characters() throws Exception {
        String type = "A".repeat(100);

        assertEquals(type, parse("{\"events\":[{\"type\":\"" + type + "\"}]}").get(0).type());
    }

    /** The rule as the regex TolokaBatch used before its loop, independent of the loop it checks. */
    private static final Pattern TYPE_CHARACTER = Pattern.compile("[A-Za-z0-9_]");

    @Test
    void shouldTakeOnlyAsciiLettersDigitsAndUnderscoresAsATypesCharacters() {
        for (int i = 0; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            boolean expected = TYPE_CHARACTER.matcher(String.valueOf(c)).matches();
            assertEquals(expected, TolokaBatch.isEventType("A" + c + "9"), () -> "U+" + Integer.toHexString(c));
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("not JSON", "events: [ {type: A} ]"),
                Arguments.of("empty body", ""),
                Arguments.of("root array", "[{\"type\":\"A\"}]"),
                Arguments.of("root string", "\"{\\\"events\\\":[]}\""),
                Arguments.of("root number", "42"),
                Arguments.of("missing events", "{\"event\":[{\"type\":\"A\"}]}"),
                Arguments.of("events is an object", "{\"events\":{\"type\":\"A\"}}"),
                Arguments.of("events is null", "{\"events\":null}"),
                Arguments.of("events is a string", "{\"events\":\"[]\"}"),
                Arguments.of("element is a string", "{\"events\":[\"A\"]}"),
                Arguments.of("element is an array", "{\"events\":[[{\"type\":\"A\"}]]}"),
                Arguments.of("second element is null", "{\"events\":[{\"type\":\"A\"},null]}"),
                Arguments.of("event without type", "{\"events\":[{\"uuid\":\"u\"}]}"),
                Arguments.of("type with a slash", "{\"events\":[{\"type\":\"a/b\"}]}"),
                Arguments.of("type with a dot", "{\"events\":[{\"type\":\"a.b\"}]}"),
                Arguments.of("type with a space", "{\"events\":[{\"type\":\"A B\"}]}"),
                Arguments.of("empty type", "{\"events\":[{\"type\":\"\"}]}"),
                Arguments.of("type of 101 characters", "{\"events\":[{\"type\":\"" + "A".repeat(101) + "\"}]}"),
                Arguments.of("type is a number", "{\"events\":[{\"type\":5}]}"),
                Arguments.of("type is null", "{\"events\":[{\"type\":null}]}"),
                Arguments.of("type is an array", "{\"events\":[{\"type\":[\"A\"]}]}"),
                Arguments.of("type is an object", "{\"events\":[{\"type\":{\"name\":\"A\"}}]}"),
                Arguments.of("valid event then a bad one", "{\"events\":[{\"type\":\"A\"},{\"type\":\"a/b\"}]}"),
                Arguments.of("duplicate events key", "{\"events\":[],\"events\":[{\"type\":\"A\"}]}"),
                Arguments.of("duplicate key in an event", "{\"events\":[{\"type\":\"A\",\"type\":\"B\"}]}"),
                Arguments.of("trailing garbage", "{\"events\":[]} garbage"),
                Arguments.of("trailing second object", "{\"events\":[]}{\"events\":[]}"),
                Arguments.of("trailing comma", "{\"events\":[{\"type\":\"A\"},]}"),
                Arguments.of("truncated in an event", "{\"events\":[{\"type\":\"A\""),
                Arguments.of("truncated after an event", "{\"events\":[{\"type\":\"A\"}"),
                Arguments.of("truncated after the array", "{\"events\":[]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldRejectMalformedBody(String name, String body) {
        MalformedBatchException e = assertThrows(MalformedBatchException.class, () -> parse(body));

        assertFalse(e.getMessage().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SECRET-MARKER",
        "{\"events\":[SECRET-MARKER]}",
        "{\"events\":\"SECRET-MARKER\"}",
        "{\"events\":[{\"type\":\"SECRET-MARKER\"}]}",
        "{\"events\":[{\"type\":\"A\",\"SECRET-MARKER\":1,\"SECRET-MARKER\":2}]}",
        "{\"events\":[],\"SECRET-MARKER\":1,\"SECRET-MARKER\":2}",
        "{\"events\":[]} SECRET-MARKER",
        "{\"events\":[{\"type\":\"A\",\"note\":\"SECRET-MARKER",
        "{\"SECRET-MARKER\":[]}",
        "[\"SECRET-MARKER\"]"
    })
    void shouldNotQuoteTheBodyInTheMessage(String body) {
        MalformedBatchException e = assertThrows(MalformedBatchException.class, () -> parse(body));

        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
    }

    @Test
    void shouldKeyByAssignmentWhenThereIsOne() throws Exception {
        assertEquals("assignment-1", parse("{\"events\":[" + APPROVED + "]}").get(0).key());
    }

    @Test
    void shouldKeyByPoolWithoutAnAssignment() throws Exception {
        assertEquals("pool-2", parse("{\"events\":[" + CLOSED + "]}").get(0).key());
    }

    @Test
    void shouldHaveNoKeyWithoutAssignmentOrPool() throws Exception {
        TolokaEvent event = parse("{\"events\":[{\"type\":\"TEST_EVENT\",\"pool_id\":null}]}").get(0);

        assertNull(event.poolId());
        assertNull(event.key());
    }

    @Test
    void shouldKeepNumericIdsAsText() throws Exception {
        TolokaEvent event = parse("{\"events\":[{\"type\":\"ASSIGNMENT_SUBMITTED\",\"uuid\":7,\"pool_id\":12345,"
                + "\"project_id\":98765432109876543210,\"assignment_id\":900000000001}]}").get(0);

        assertEquals("7", event.uuid());
        assertEquals("12345", event.poolId());
        assertEquals("98765432109876543210", event.projectId());
        assertEquals("900000000001", event.assignmentId());
        assertEquals("900000000001", event.key());
    }

    @Test
    void shouldTreatNonScalarIdsAsAbsent() throws Exception {
        TolokaEvent event = parse("{\"events\":[{\"type\":\"POOL_CLOSED\",\"pool_id\":{\"id\":\"p\"},"
                + "\"assignment_id\":[\"a\"]}]}").get(0);

        assertNull(event.poolId());
        assertNull(event.assignmentId());
        assertNull(event.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nesting", "long number", "long name"})
    void shouldRejectBodiesBeyondJacksonsLimitsAsMalformed(String limit) {
        String event = switch (limit) {
            case "nesting" -> "{\"type\":\"A\",\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
            case "long number" -> "{\"type\":\"A\",\"confidence\":0." + "1".repeat(1500) + "}";
            default -> "{\"type\":\"A\",\"" + "k".repeat(60_000) + "\":1}";
        };

        assertThrows(MalformedBatchException.class, () -> parse("{\"events\":[" + event + "]}"));
    }

    @Test
    void shouldRejectAUtf16BodyAsMalformed() {
        byte[] utf16 = "{\"events\":[{\"type\":\"A\"}]}".getBytes(StandardCharsets.UTF_16BE);

        assertThrows(MalformedBatchException.class, () -> TolokaBatch.parse(utf16));
    }

    /**
     * Jackson pads the last 4-byte group of a field name with 0xFF bytes to look it up among the names
     * it has seen, and takes a hit as already checked: {@code "pool\xFF_id"} then reads as
     * {@code "pool_id"}, without its bytes ever being decoded. 0xFF never occurs in UTF-8.
     */
    @ParameterizedTest
    @ValueSource(strings = {"same body", "earlier body"})
    void shouldRejectANameThatIsNotUtf8EvenWhenItsBytesMatchAPaddedKnownName(String whereTheNameWasSeen)
            throws Exception {
        byte[] invalidName = {'p', 'o', 'o', 'l', (byte) 0xFF, '_', 'i', 'd'};
        String seen = "{\"type\":\"A\",\"pool_id\":\"p1\"}";
        byte[] body = concat(("{\"events\":[" + (whereTheNameWasSeen.equals("same body") ? seen + "," : "")
                + "{\"type\":\"B\",\"").getBytes(StandardCharsets.UTF_8), invalidName,
                "\":\"p2\"}]}".getBytes(StandardCharsets.UTF_8));
        parse("{\"events\":[" + seen + "]}");

        assertThrows(MalformedBatchException.class, () -> TolokaBatch.parse(body));
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static List<TolokaEvent> parse(String body) throws MalformedBatchException {
        return TolokaBatch.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertEvent(TolokaEvent event, String type, String uuid, String poolId, String projectId,
            String assignmentId) {
        assertEquals(type, event.type());
        assertEquals(uuid, event.uuid());
        assertEquals(poolId, event.poolId());
        assertEquals(projectId, event.projectId());
        assertEquals(assignmentId, event.assignmentId());
    }

    /** The event's bytes are exactly its text, which stands once in the raw body: a slice, not a re-serialization. */
    private static void assertSlice(byte[] raw, String eventText, byte[] json) {
        byte[] expected = eventText.getBytes(StandardCharsets.UTF_8);
        int at = indexOf(raw, expected);
        assertTrue(at >= 0 && indexOf(Arrays.copyOfRange(raw, at + 1, raw.length), expected) < 0);
        assertArrayEquals(Arrays.copyOfRange(raw, at, at + expected.length), json,
                () -> new String(json, StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
