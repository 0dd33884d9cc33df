package io.hookgate.toloka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TolokaBatch} streams; {@link ReferenceTolokaBatch} is the tree-based parse it replaced. Both must
 * give the same events, field for field and byte for byte, or refuse with the same message, for bodies
 * chosen to differ between the two ways of reading (numbers, nesting, nulls, booleans, odd field order)
 * and for random ones built from the same pieces.
 */
class TolokaBatchReferenceTest {

    static Stream<String> bodies() {
        return Stream.of(
                "{\"events\":[]}",
                "{\"events\":[{\"type\":\"ASSIGNMENT_APPROVED\",\"uuid\":\"u-1\",\"pool_id\":\"p\"}]}",
                "{\"x\":{\"events\":1},\"events\":[{\"pool_id\":7,\"type\":\"A\"}],\"y\":[1,{\"z\":null}]}",
                "{\"events\":[{\"type\":\"A\",\"uuid\":1.50,\"pool_id\":-0,\"project_id\":1e400,\"assignment_id\":true}]}",
                "{\"events\":[{\"type\":\"A\",\"uuid\":12345678901234567890123,\"pool_id\":2147483648}]}",
                "{\"events\":[{\"type\":\"A\",\"uuid\":null,\"pool_id\":{\"id\":\"p\"},\"project_id\":[\"q\"]}]}",
                "{\"events\":[{\"type\":\"A\",\"assignment_id\":false,\"nested\":{\"type\":\"B\",\"uuid\":\"inner\"}}]}",
                "{\"events\":[{\"type\":\"A\",\"uuid\":\"\\u00e9\\n\",\"pool_id\":\"p\\\"q\"}, {\"type\":\"B_2\"}]}",
                "{\"events\":[{\"type\":{\"A\":1}}]}",
                "{\"events\":[{\"type\":\"A-B\"}]}",
                "{\"events\":[{\"type\":5}]}",
                "{\"events\":[{\"uuid\":\"no-type\"}]}",
                "{\"events\":[{\"type\":\"A\",\"type\":\"B\"}]}",
                "{\"events\":[{\"type\":\"A\",\"deep\":{\"k\":1,\"k\":2}}]}",
                "{\"events\":[{\"type\":\"A\"},[]]}",
                "{\"events\":[{\"type\":\"A\"}]} trailing",
                "{\"events\":[{\"type\":\"A\",\"uuid\":\"u\"",
                "{\"events\":{}}",
                "[]",
                "{\"events\":[{\"type\":\"A\",\"n\":01}]}",
                "{\"events\":[{\"type\":\"" + "A".repeat(101) + "\"}]}",
                "{\"events\":[{\"type\":\"A\",\"big\":" + "9".repeat(1001) + "}]}",
                "{\"events\":[{\"type\":\"A\",\"deep\":" + "[".repeat(1001) + "]".repeat(1001) + "}]}");
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void shouldReadEveryBodyAsTheTreeBasedParseDid(String body) {
        assertSame(body.getBytes(UTF_8));
    }

    @Test
    void shouldReadRandomBodiesAsTheTreeBasedParseDid() {
        Random random = new Random(20261204);
        String[] fields = {"type", "uuid", "pool_id", "project_id", "assignment_id", "other", "events"};
        String[] values = {"\"A\"", "\"ASSIGNMENT_APPROVED\"", "\"a b\"", "1", "-2.50", "1e3", "true", "false",
                "null", "{}", "[]", "{\"type\":\"X\"}", "[\"uuid\",1]", "\"\"", "12345678901234567890"};
        for (int i = 0; i < 5000; i++) {
            StringBuilder body = new StringBuilder("{\"events\":[");
            int events = random.nextInt(4);
            for (int e = 0; e < events; e++) {
                body.append(e == 0 ? "" : ",").append('{');
                int n = random.nextInt(7);
                for (int f = 0; f < n; f++) {
                    body.append(f == 0 ? "" : ",").append('"').append(fields[random.nextInt(fields.length)])
                            .append("\":").append(values[random.nextInt(values.length)]);
                }
                body.append('}');
            }
            body.append("]}");
            assertSame(body.toString().getBytes(UTF_8));
        }
    }

    private static void assertSame(byte[] body) {
        String text = new String(body, UTF_8);
        Object expected = outcome(() -> ReferenceTolokaBatch.parse(body));
        Object actual = outcome(() -> TolokaBatch.parse(body));
        if (expected instanceof String refusal) {
            assertEquals(refusal, actual, text);
            return;
        }
        List<?> want = (List<?>) expected;
        assertEquals(List.class.isInstance(actual), true, text + " → " + actual);
        List<?> got = (List<?>) actual;
        assertEquals(want.size(), got.size(), text);
        for (int i = 0; i < want.size(); i++) {
            TolokaEvent w = (TolokaEvent) want.get(i);
            TolokaEvent g = (TolokaEvent) got.get(i);
            List<String> wantFields = List.of(String.valueOf(w.type()), String.valueOf(w.uuid()),
                    String.valueOf(w.poolId()), String.valueOf(w.projectId()), String.valueOf(w.assignmentId()));
            List<String> gotFields = List.of(String.valueOf(g.type()), String.valueOf(g.uuid()),
                    String.valueOf(g.poolId()), String.valueOf(g.projectId()), String.valueOf(g.assignmentId()));
            assertEquals(wantFields, gotFields, text);
            assertArrayEquals(w.json(), g.json(), text);
        }
    }

    interface Parse {
        List<TolokaEvent> run() throws MalformedBatchException;
    }

    /** The events, or the refusal's message. */
    private static Object outcome(Parse parse) {
        try {
            return new ArrayList<>(parse.run());
        } catch (MalformedBatchException refused) {
            return "refused: " + refused.getMessage();
        }
    }
}
