package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.only;
import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Toloka route over real HTTP against a real broker: what the sender is answered and what lands
 * on which topic, for a valid batch and for every way a request can be refused.
 */
class TolokaRouteIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET_V1 = "route-test-secret-v1";
    static final String SECRET_V2 = "route-test-secret-v2";
    static final String DEAD_LETTER = "hookgate.dead-letter";
    static final Duration WAIT = Duration.ofSeconds(20);

    static final TolokaSigner SIGNER_V1 = new TolokaSigner("1", SECRET_V1.getBytes(UTF_8));
    static final TolokaSigner SIGNER_V2 = new TolokaSigner("2", SECRET_V2.getBytes(UTF_8));

    static HookgateInstance hookgate;

    @BeforeAll
    static void start() {
        hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                "hookgate.skyvern.enabled", "false",
                "hookgate.toloka.secrets.1", SECRET_V1,
                "hookgate.toloka.secrets.2", SECRET_V2,
                "hookgate.http.max-body-bytes", "65536"));
    }

    @AfterAll
    static void stop() {
        hookgate.close();
    }

    static final String APPROVED = """
            {"event_time":"2026-11-23T10:00:00","project_id":"project-1","pool_id":"pool-1",\
            "uuid":"11111111-1111-4111-8111-111111111111","task_suite_id":"ts-1","assignment_id":"assignment-1",\
            "webhook_subscription_id":"sub-1","type":"ASSIGNMENT_APPROVED"}""";
    static final String CLOSED = """
            { "event_time": "2026-11-23T10:00:01", "project_id": "project-1", "pool_id": "pool-1",
              "uuid": "22222222-2222-4222-8222-222222222222", "webhook_subscription_id": "sub-2",
              "type": "POOL_CLOSED", "close_reason": "MANUAL" }""";
    static final String OVERLAP = """
            {"event_time":"2026-11-23T10:00:02","project_id":"project-2","pool_id":"pool-2",\
            "uuid":"33333333-3333-4333-8333-333333333333","webhook_subscription_id":"sub-3",\
            "type":"DYNAMIC_OVERLAP_COMPLETED","task_id":"task-9","confidence":0.123456789012345678901234,\
            "assignment_ids":["a-1","a-2"],"output_values":{"label":"Привет"},"brand_new_field":{"x":[1,2]}}""";

    @Test
    void shouldPublishEveryEventOfAValidBatchToTheTopicOfItsType() {
        byte[] body = ("{\"events\":[" + APPROVED + ",\n" + CLOSED + "," + OVERLAP + "]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), "toloka.assignment-approved",
                "toloka.pool-closed", "toloka.dynamic-overlap-completed", DEAD_LETTER)) {

            HttpResponse<String> answer = post(body, SIGNER_V1.signatureHeader(body, now()));

            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"events\":3"), answer.body());
            String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();
            assertNoRequestHeaderEchoed(answer);

            ConsumerRecord<String, byte[]> approved = only(reader.awaitRecords("toloka.assignment-approved", 1, WAIT));
            assertEquals("assignment-1", approved.key());
            assertArrayEquals(APPROVED.getBytes(UTF_8), approved.value());
            assertEquals("toloka", header(approved, "hookgate-source"));
            assertEquals("ASSIGNMENT_APPROVED", header(approved, "toloka-event-type"));
            assertEquals("11111111-1111-4111-8111-111111111111", header(approved, "toloka-event-uuid"));
            assertEquals("pool-1", header(approved, "toloka-pool-id"));
            assertEquals("project-1", header(approved, "toloka-project-id"));
            assertEquals(requestId, header(approved, "hookgate-request-id"));
            assertNotNull(java.time.Instant.parse(header(approved, "hookgate-received-at")));
            assertOnlyHookgateHeaders(approved);

            ConsumerRecord<String, byte[]> closed = only(reader.awaitRecords("toloka.pool-closed", 1, WAIT));
            assertEquals("pool-1", closed.key(), "no assignment_id: keyed by pool_id");
            assertArrayEquals(CLOSED.getBytes(UTF_8), closed.value(), "the event's bytes as received");

            ConsumerRecord<String, byte[]> overlap = only(reader.awaitRecords("toloka.dynamic-overlap-completed", 1, WAIT));
            assertEquals("pool-2", overlap.key());
            assertArrayEquals(OVERLAP.getBytes(UTF_8), overlap.value(), "precision and unknown fields kept");
            assertEquals(requestId, header(overlap, "hookgate-request-id"));

            assertTrue(reader.recordsSoFar(DEAD_LETTER, Duration.ofMillis(500)).isEmpty());
        }
    }

    @Test
    void shouldRouteUnknownAndTestEventTypesByTheSameRule() {
        String test = "{\"uuid\":\"44444444-4444-4444-8444-444444444444\",\"project_id\":\"p\",\"pool_id\":\"p-7\","
                + "\"event_time\":\"2026-11-23T10:00:00\",\"type\":\"TEST_EVENT\"}";
        String unknown = "{\"uuid\":\"55555555-5555-4555-8555-555555555555\",\"pool_id\":\"p-8\",\"type\":\"SOMETHING_NEW\"}";
        byte[] body = ("{\"events\":[" + test + "," + unknown + "]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), "toloka.test-event",
                "toloka.something-new")) {
            assertEquals(200, post(body, SIGNER_V2.signatureHeader(body, now())).statusCode(), "key version 2");
            assertArrayEquals(test.getBytes(UTF_8), only(reader.awaitRecords("toloka.test-event", 1, WAIT)).value());
            assertArrayEquals(unknown.getBytes(UTF_8), only(reader.awaitRecords("toloka.something-new", 1, WAIT)).value());
        }
    }

    /** Signs at test time (the window is checked against the moment of sending). */
    interface Forgery {
        String signature(byte[] body, long now);
    }

    static Stream<Arguments> forgedRequests() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length - 5] = 'X';
        TolokaSigner wrongSecret = new TolokaSigner("1", "guess".getBytes(UTF_8));
        TolokaSigner unknownVersion = new TolokaSigner("7", SECRET_V1.getBytes(UTF_8));
        return Stream.of(
                Arguments.of("tampered body", tampered, (Forgery) (b, now) -> SIGNER_V1.signatureHeader(body, now),
                        "signature-mismatch"),
                Arguments.of("tampered signature", body, (Forgery) (b, now) -> flipFirstHexDigit(
                        SIGNER_V1.signatureHeader(b, now)), "signature-mismatch"),
                Arguments.of("wrong secret", body, (Forgery) wrongSecret::signatureHeader, "signature-mismatch"),
                Arguments.of("missing header", body, (Forgery) (b, now) -> null, "missing-signature"),
                Arguments.of("unknown key version", body, (Forgery) unknownVersion::signatureHeader,
                        "unknown-key-version"),
                Arguments.of("stale timestamp", body, (Forgery) (b, now) -> SIGNER_V1.signatureHeader(b, now - 301_000),
                        "timestamp-out-of-window"),
                Arguments.of("future timestamp", body,
                        (Forgery) (b, now) -> SIGNER_V1.signatureHeader(b, now + 301_000), "timestamp-out-of-window"),
                Arguments.of("malformed header", body, (Forgery) (b, now) -> "{v=1, ts=12ab, sign=00}",
                        "malformed-signature"));
    }

    static String flipFirstHexDigit(String header) {
        int at = header.indexOf("sign=") + 5;
        char flipped = header.charAt(at) == '0' ? '1' : '0';
        return header.substring(0, at) + flipped + header.substring(at + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedRequests")
    void shouldAnswer401AndDeadLetterTheRawRequest(String scenario, byte[] body, Forgery forgery, String reason) {
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER,
                "toloka.assignment-approved")) {
            String signature = forgery.signature(body, now());
            HttpResponse<String> answer = post(body, signature);

            assertEquals(401, answer.statusCode(), answer.body());
            assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(null));
            assertTrue(answer.body().contains("\"error\":\"" + reason + "\""), answer.body());
            assertFalse(answer.body().contains(SECRET_V1), "no secret in the answer");
            assertNoRequestHeaderEchoed(answer);
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertDeadLetter(dead, answer, body, reason);
            assertEquals(signature, header(dead, "toloka-signature"), "the signature header as received");
            assertTrue(reader.recordsSoFar("toloka.assignment-approved", Duration.ofMillis(300)).isEmpty(),
                    "nothing published");
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("not JSON", "{\"events\":[{\"type\":"),
                Arguments.of("no events", "{\"evnts\":[]}"),
                Arguments.of("events not an array", "{\"events\":{}}"),
                Arguments.of("event not an object", "{\"events\":[42]}"),
                Arguments.of("event without type", "{\"events\":[{\"uuid\":\"u\"}]}"),
                Arguments.of("root array", "[{\"type\":\"POOL_CLOSED\"}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldAnswer400AndDeadLetterAValidlySignedMalformedBody(String scenario, String json) {
        byte[] body = json.getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {
            HttpResponse<String> answer = post(body, SIGNER_V1.signatureHeader(body, now()));

            assertEquals(400, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"error\":\"malformed-body\""), answer.body());
            assertDeadLetter(only(reader.awaitRecords(DEAD_LETTER, 1, WAIT)), answer, body, "malformed-body");
        }
    }

    @Test
    void shouldAnswer415AndDeadLetterTheRawBytesOfAFormEncodedRequest() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {
            HttpResponse<String> answer = hookgate.post(PATH, body,
                    "Content-Type", "application/x-www-form-urlencoded",
                    "Toloka-Signature", SIGNER_V1.signatureHeader(body, now()));

            assertEquals(415, answer.statusCode(), answer.body());
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertDeadLetter(dead, answer, body, "unsupported-media-type");
            assertEquals("application/x-www-form-urlencoded", header(dead, "hookgate-content-type"));
        }
    }

    @Test
    void shouldAnswer413WithoutDeadLetteringTheOversizedBody() {
        byte[] body = new byte[70_000];
        Arrays.fill(body, (byte) ' ');
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {
            HttpResponse<String> answer = post(body, SIGNER_V1.signatureHeader(body, now()));

            assertEquals(413, answer.statusCode(), answer.body());
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals("payload-too-large", header(dead, "hookgate-reason"));
            assertEquals("70000", header(dead, "hookgate-body-size"));
            assertEquals(0, dead.value().length, "the reason and size only, not the body");
        }
    }

    @Test
    void shouldRefuseOtherMethods() {
        var request = java.net.http.HttpRequest.newBuilder(hookgate.uri(PATH)).GET().build();
        try {
            int status = java.net.http.HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(405, status);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> post(byte[] body, String signature) {
        return signature == null
                ? hookgate.post(PATH, body, "Content-Type", "application/json")
                : hookgate.post(PATH, body, "Content-Type", "application/json", "Toloka-Signature", signature);
    }

    static long now() {
        return System.currentTimeMillis();
    }

    static void assertDeadLetter(ConsumerRecord<String, byte[]> dead, HttpResponse<String> answer, byte[] body,
            String reason) {
        String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();
        assertArrayEquals(body, dead.value(), "the raw body exactly as received");
        assertEquals(reason, header(dead, "hookgate-reason"));
        assertEquals("toloka", header(dead, "hookgate-source"));
        assertEquals(PATH, header(dead, "hookgate-request-path"));
        assertEquals(requestId, header(dead, "hookgate-request-id"));
        assertEquals(requestId, dead.key());
        assertNotNull(header(dead, "hookgate-received-at"));
        assertNotNull(header(dead, "hookgate-content-type"));
        assertOnlyHookgateHeaders(dead);
        for (Header h : dead.headers()) {
            assertFalse(new String(h.value(), UTF_8).contains(SECRET_V1), "no secret in header " + h.key());
        }
    }

    static void assertNoRequestHeaderEchoed(HttpResponse<String> answer) {
        for (String name : answer.headers().map().keySet()) {
            String lower = name.toLowerCase();
            assertTrue(List.of("content-type", "hookgate-request-id", "retry-after", "connection",
                    "transfer-encoding", "content-length").contains(lower), "unexpected answer header " + name);
        }
    }

    static void assertOnlyHookgateHeaders(ConsumerRecord<String, byte[]> record) {
        for (Header h : record.headers()) {
            assertTrue(h.key().startsWith("hookgate-") || h.key().startsWith("toloka-"),
                    "unexpected record header " + h.key());
        }
        assertNull(record.headers().lastHeader("Toloka-Signature"), "request headers are not copied");
    }
}
