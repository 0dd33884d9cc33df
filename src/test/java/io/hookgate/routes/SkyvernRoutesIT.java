package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.only;
import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.signature.SkyvernSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.MutableClock;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Skyvern's two kinds of call over real HTTP against a real broker: TOTP polls answered with real
 * codes (a TOTP key, or codes relayed through Kafka), and run webhooks published as received.
 */
class SkyvernRoutesIT {

    static final String API_KEY = "sk_test_key";
    static final String ROTATED_KEY = "sk_next_key";
    static final SkyvernSigner SIGNER = new SkyvernSigner(API_KEY.getBytes(UTF_8));
    /** RFC 6238 Appendix B's SHA1 seed "12345678901234567890", Base32, with 8 digits. */
    static final String RFC_KEY = "otpauth://totp/Example:rfc?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&algorithm=SHA1&digits=8&period=30&issuer=Example";
    static final String RELAY = "skyvern.totp-codes";
    static final String POLLS = "skyvern.totp-polls";
    static final String RUNS = "skyvern.runs";
    static final String DEAD_LETTER = "hookgate.dead-letter";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static HookgateInstance hookgate;

    @BeforeAll
    static void start() {
        hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                "hookgate.toloka.enabled", "false",
                "hookgate.skyvern.api-keys", API_KEY + ", " + ROTATED_KEY,
                "hookgate.skyvern.totp.rfc-login", RFC_KEY,
                "hookgate.skyvern.relay-ttl-seconds", "600"), CLOCK);
    }

    @AfterAll
    static void stop() {
        hookgate.close();
    }

    @BeforeEach
    void resetClock() {
        CLOCK.set(Instant.now());
    }

    @Test
    void shouldAnswerTheRfc6238CodeOfTheLoginsOtpauthKeyAndRecordThePoll() {
        CLOCK.set(Instant.ofEpochSecond(59)); // RFC 6238 Appendix B, first row: SHA1 → 94287082
        byte[] body = "{\"task_id\":\"tsk_123456\"}".getBytes(UTF_8);
        assertEquals("e22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b8035", SIGNER.signature(body),
                "the published vector: we sign as Skyvern does");
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), POLLS)) {
            HttpResponse<String> answer = poll("rfc-login", body, SIGNER.signature(body));

            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(null));
            JsonNode json = json(answer.body());
            assertEquals("tsk_123456", json.get("task_id").textValue());
            assertEquals("94287082", json.get("verification_code").textValue());

            ConsumerRecord<String, byte[]> audit = only(reader.awaitRecords(POLLS, 1, WAIT));
            assertEquals("rfc-login", audit.key());
            JsonNode recorded = JSON.readTree(audit.value());
            assertEquals("rfc-login", recorded.get("identifier").textValue());
            assertEquals("tsk_123456", recorded.get("task_id").textValue());
            assertTrue(recorded.get("answered").booleanValue());
            assertEquals(Instant.ofEpochSecond(59).toString(), recorded.get("polled_at").textValue());
            assertNoCodeIn(audit, "94287082");

            String metrics = hookgate.management("/observe/metrics").body();
            assertTrue(metrics.contains("hookgate_events_published_total{topic=\"skyvern.totp-polls\"}"), "counted");
            assertTrue(metrics.contains("hookgate_requests_total{outcome=\"code-answered\",source=\"skyvern\"}"));
            assertFalse(metrics.contains("94287082"), "no code in a metric");
            assertFalse(metrics.contains("rfc-login"), "no login identifier in a label");
            assertTrue(metrics.contains("hookgate_requests_in_flight{route=\"answer-skyvern-totp-polls\"}"));
            assertFalse(metrics.contains("camel_exchanges_"), "Camel's per-exchange metrics are off by default");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldAcceptAPollSignedWithAnyConfiguredKey() {
        byte[] body = "{\"workflow_run_id\":\"wr_1\"}".getBytes(UTF_8);
        HttpResponse<String> answer = poll("rfc-login", body, new SkyvernSigner(ROTATED_KEY.getBytes(UTF_8)).signature(body));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(json(answer.body()).get("task_id").isNull(), "task_id as received: none");
        assertEquals(8, json(answer.body()).get("verification_code").textValue().length());
    }

    @Test
    void shouldAnswerARelayedCodeToItsRunOnlyAndNothingOnceItExpires() {
        publishRelayedCode("Mail_Login", "{\"code\":\"731904\",\"task_id\":\"tsk_A\"}");

        await().atMost(WAIT).until(() -> "731904".equals(code("mail-login", "{\"task_id\":\"tsk_A\"}")));
        assertEquals("", code("mail-login", "{\"task_id\":\"tsk_B\"}"), "scoped to another run");
        assertEquals("", code("mail-login", "{\"workflow_run_id\":\"wr_A\"}"), "scoped to another run");

        CLOCK.advance(Duration.ofSeconds(601));
        assertEquals("", code("mail-login", "{\"task_id\":\"tsk_A\"}"), "expired after the relay TTL");
    }

    @Test
    void shouldGiveAnUnscopedRelayedCodeToAnyRunUntilItsOwnExpiry() {
        String expiresAt = Instant.now().plusSeconds(120).toString();
        publishRelayedCode("sms-login", "{\"code\":\"Your code is 555 123\",\"expires_at\":\"" + expiresAt + "\"}");

        await().atMost(WAIT).until(() -> "Your code is 555 123".equals(code("sms-login", "{\"task_id\":\"tsk_X\"}")));
        assertEquals("Your code is 555 123", code("sms-login", "{\"workflow_run_id\":\"wr_Y\"}"));
        CLOCK.advance(Duration.ofSeconds(121));
        assertEquals("", code("sms-login", "{\"task_id\":\"tsk_X\"}"), "expired at its expires_at");
    }

    @Test
    void shouldGiveEveryInstanceEveryRelayedCode() {
        try (HookgateInstance other = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                "hookgate.toloka.enabled", "false",
                "hookgate.skyvern.api-keys", API_KEY), CLOCK)) {
            publishRelayedCode("shared-login", "{\"code\":\"246810\"}");

            // not a shared consumer group: the poll may land on either instance
            await().atMost(WAIT).until(() -> "246810".equals(code(hookgate, "shared-login", "{\"task_id\":\"t\"}")));
            await().atMost(WAIT).until(() -> "246810".equals(code(other, "shared-login", "{\"task_id\":\"t\"}")));
        }
    }

    @Test
    void shouldAnswerEmptyForALoginWithoutAnyCode() {
        assertEquals("", code("nobody-knows-me", "{\"task_id\":\"tsk_1\"}"));
    }

    @Test
    void shouldAnswer401AndDeadLetterUnsignedOrForgedPollsWithoutAnyCode() {
        CLOCK.set(Instant.ofEpochSecond(59));
        byte[] body = "{\"task_id\":\"tsk_123456\"}".getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER, POLLS)) {
            HttpResponse<String> unsigned = poll("rfc-login", body, null);
            HttpResponse<String> forged = poll("rfc-login", body,
                    new SkyvernSigner("guessed".getBytes(UTF_8)).signature(body));
            byte[] spaced = "{\"task_id\": \"tsk_123456\"}".getBytes(UTF_8);
            HttpResponse<String> reformatted = poll("rfc-login", spaced, SIGNER.signature(body));

            assertEquals(401, unsigned.statusCode());
            assertTrue(unsigned.body().contains("missing-signature"), unsigned.body());
            assertEquals(401, forged.statusCode());
            assertTrue(forged.body().contains("signature-mismatch"), forged.body());
            assertEquals(401, reformatted.statusCode(), "the signature covers the exact bytes");
            for (HttpResponse<String> answer : List.of(unsigned, forged, reformatted)) {
                assertFalse(answer.body().contains("94287082"), "no code to a forger");
            }
            List<ConsumerRecord<String, byte[]>> dead = reader.awaitRecords(DEAD_LETTER, 3, WAIT);
            assertEquals(List.of("missing-signature", "signature-mismatch", "signature-mismatch"),
                    dead.stream().map(r -> header(r, "hookgate-reason")).toList());
            assertArrayEquals(body, dead.get(0).value());
            assertArrayEquals(spaced, dead.get(2).value());
            assertEquals("skyvern", header(dead.get(1), "hookgate-source"));
            assertEquals("/skyvern/totp/rfc-login", header(dead.get(1), "hookgate-request-path"));
            assertEquals(new SkyvernSigner("guessed".getBytes(UTF_8)).signature(body),
                    header(dead.get(1), "x-skyvern-signature"), "the signature as received");
            dead.forEach(record -> assertNoCodeIn(record, "94287082"));
            assertTrue(reader.recordsSoFar(POLLS, Duration.ofMillis(300)).isEmpty(), "no poll was answered");
        }
    }

    @Test
    void shouldPublishARunWebhookWithTheExactBytesReceivedAndSurviveARetry() {
        byte[] body = ("{\"task_id\": \"tsk_9\", \"status\": \"completed\", \"run_id\": \"tsk_9\", \"run_type\": \"task_v1\","
                + " \"extracted_information\": {\"price\": 12.3400, \"name\": \"Zürich ✓\"}, \"failure_reason\": null,"
                + " \"something_new\": [1, 2]}").getBytes(UTF_8);
        String signature = SIGNER.signature(body);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RUNS)) {
            HttpResponse<String> first = run(body, signature, timestamp);
            HttpResponse<String> retry = run(body, signature, timestamp); // Skyvern resends body and headers as-is

            assertEquals(200, first.statusCode(), first.body());
            assertEquals(200, retry.statusCode(), retry.body());
            List<ConsumerRecord<String, byte[]>> records = reader.awaitRecords(RUNS, 1, WAIT);
            ConsumerRecord<String, byte[]> record = records.get(0);
            assertArrayEquals(body, record.value(), "the body exactly as received");
            assertEquals("tsk_9", record.key());
            assertEquals("skyvern", header(record, "hookgate-source"));
            assertEquals("task_v1", header(record, "skyvern-run-type"));
            assertEquals("completed", header(record, "skyvern-status"));
            assertEquals(first.headers().firstValue("hookgate-request-id").orElseThrow(),
                    header(record, "hookgate-request-id"));
            for (Header h : record.headers()) {
                assertTrue(h.key().startsWith("hookgate-") || h.key().startsWith("skyvern-"),
                        "no request header on the record: " + h.key());
            }
        }
    }

    @Test
    void shouldAnswer503WhileARouteIsStoppedSoThatSkyvernRetries() throws Exception {
        // what a graceful stop leaves between its end and the port's close; Skyvern retries a 503, not a 404
        byte[] body = "{\"run_id\":\"tsk_stopped\",\"run_type\":\"task_v1\",\"status\":\"completed\"}"
                .getBytes(UTF_8);
        String signature = SIGNER.signature(body);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RUNS)) {
            hookgate.context().getRouteController().stopRoute("receive-skyvern-runs");
            try {
                HttpResponse<String> refused = run(body, signature, null);
                assertEquals(503, refused.statusCode(), refused.body());
            } finally {
                hookgate.context().getRouteController().startRoute("receive-skyvern-runs");
            }
            assertEquals(200, run(body, signature, null).statusCode(), "the retry, once the route runs again");
            assertEquals("tsk_stopped", only(reader.awaitRecords(RUNS, 1, WAIT)).key());
        }

        byte[] poll = "{\"task_id\":\"tsk_stopped\"}".getBytes(UTF_8); // a path with a parameter: {identifier}
        hookgate.context().getRouteController().stopRoute("answer-skyvern-totp-polls");
        try {
            assertEquals(503, poll("rfc-login", poll, SIGNER.signature(poll)).statusCode());
        } finally {
            hookgate.context().getRouteController().startRoute("answer-skyvern-totp-polls");
        }
        assertEquals(200, poll("rfc-login", poll, SIGNER.signature(poll)).statusCode());
    }

    @Test
    void shouldKeyAWorkflowRunByItsWorkflowRunId() {
        byte[] body = ("{\"workflow_id\":\"w_1\",\"workflow_run_id\":\"wr_77\",\"status\":\"failed\","
                + "\"outputs\":{},\"run_type\":\"workflow_run\"}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RUNS)) {
            assertEquals(200, run(body, SIGNER.signature(body), null).statusCode());
            ConsumerRecord<String, byte[]> record = only(reader.awaitRecords(RUNS, 1, WAIT));
            assertEquals("wr_77", record.key());
            assertEquals("workflow_run", header(record, "skyvern-run-type"));
            assertEquals("failed", header(record, "skyvern-status"));
        }
    }

    @Test
    void shouldAnswer400AndDeadLetterASignedRunThatIsNotAJsonObject() {
        byte[] body = "[\"not\",\"a\",\"run\"]".getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {
            HttpResponse<String> answer = run(body, SIGNER.signature(body), null);
            assertEquals(400, answer.statusCode(), answer.body());
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals("malformed-body", header(dead, "hookgate-reason"));
            assertArrayEquals(body, dead.value());
        }
    }

    static String code(String identifier, String json) {
        return code(hookgate, identifier, json);
    }

    static String code(HookgateInstance instance, String identifier, String json) {
        byte[] body = json.getBytes(UTF_8);
        HttpResponse<String> answer = instance.post("/skyvern/totp/" + identifier, body, "Content-Type",
                "application/json", "x-skyvern-signature", SIGNER.signature(body));
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer.body()).get("verification_code").textValue();
    }

    static HttpResponse<String> poll(String identifier, byte[] body, String signature) {
        String path = "/skyvern/totp/" + identifier;
        return signature == null
                ? hookgate.post(path, body, "Content-Type", "application/json")
                : hookgate.post(path, body, "Content-Type", "application/json", "x-skyvern-signature", signature,
                        "x-skyvern-timestamp", Long.toString(Instant.now().getEpochSecond()));
    }

    static HttpResponse<String> run(byte[] body, String signature, String timestamp) {
        return timestamp == null
                ? hookgate.post("/webhooks/skyvern", body, "Content-Type", "application/json",
                        "x-skyvern-signature", signature)
                : hookgate.post("/webhooks/skyvern", body, "Content-Type", "application/json",
                        "x-skyvern-signature", signature, "x-skyvern-timestamp", timestamp);
    }

    static void publishRelayedCode(String identifier, String value) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(RELAY, identifier, value)).get();
        } catch (Exception e) {
            throw new AssertionError("could not publish the relayed code", e);
        }
    }

    static void assertNoCodeIn(ConsumerRecord<String, byte[]> record, String code) {
        assertFalse(new String(record.value(), UTF_8).contains(code), "no code in the value");
        for (Header h : record.headers()) {
            assertFalse(new String(h.value(), UTF_8).contains(code), "no code in header " + h.key());
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
