package io.hookgate.contract;

import static io.hookgate.testing.TopicReader.only;
import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.MutableClock;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer's contract, {@code asyncapi/hookgate.asyncapi.yaml} (shipped in the jar), against what hookgate
 * really publishes: hookgate started as users start it, real HTTP requests signed as the providers sign them, a
 * real broker. One record of every kind is produced, read back, and its key, headers and value are validated with
 * the JSON Schemas taken from the document itself (found through its channels and messages, {@code $ref}s
 * resolved within the document). Negative checks prove the validation can fail.
 */
class AsyncApiContractIT {

    static final String DOCUMENT = "asyncapi/hookgate.asyncapi.yaml";
    static final String DRAFT_07 = "application/schema+json;version=draft-07";

    static final String TOLOKA_TOPICS = "toloka.{eventType}";
    static final String DEAD_LETTER = "hookgate.dead-letter";
    static final String RUNS = "skyvern.runs";
    static final String INTAKE = "hookgate.intake";
    static final String POLLS = "skyvern.totp-polls";
    static final String RELAY = "skyvern.totp-codes";

    static final String TOLOKA_SECRET = "contract-test-toloka-secret";
    static final String SKYVERN_KEY = "contract-test-skyvern-key";
    static final TolokaSigner TOLOKA = new TolokaSigner("1", TOLOKA_SECRET.getBytes(UTF_8));
    static final SkyvernSigner SKYVERN = new SkyvernSigner(SKYVERN_KEY.getBytes(UTF_8));
    static final Duration WAIT = Duration.ofSeconds(30);

    /** Strict: one JSON value, no duplicate keys, nothing after it. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    /** Keywords met in the document that draft-07 does not define: AsyncAPI's own fields, or a typo in a schema. */
    static final Set<String> UNKNOWN_KEYWORDS = ConcurrentHashMap.newKeySet();

    static JsonNode document;
    /** The whole document as the schema resource, so that its schemas' local {@code $ref}s resolve. */
    static JsonSchema root;
    static HookgateInstance hookgate;

    @BeforeAll
    static void loadTheDocumentAndStartHookgate() throws IOException {
        try (InputStream in = AsyncApiContractIT.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertNotNull(in, DOCUMENT + " is not on the classpath: it belongs in src/main/resources (the jar)");
            document = new YAMLMapper().readTree(in);
        }
        // draft-07, format asserted; a keyword draft-07 does not know is recorded (see theSchemasUseOnlyDraft07Keywords)
        JsonMetaSchema draft07 = JsonMetaSchema.builder(JsonMetaSchema.getV7())
                .unknownKeywordFactory((keyword, context) -> {
                    UNKNOWN_KEYWORDS.add(keyword);
                    return new AnnotationKeyword(keyword);
                })
                .build();
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        root = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, factory -> factory.metaSchema(draft07))
                .getSchema(SchemaLocation.of("classpath:" + DOCUMENT), document, config);
        hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                "hookgate.toloka.secrets.1", TOLOKA_SECRET,
                "hookgate.skyvern.api-keys", SKYVERN_KEY,
                "hookgate.skyvern.totp.contract-login", "JBSWY3DPEHPK3PXP"), CLOCK);
    }

    @AfterAll
    static void stop() {
        if (hookgate != null) {
            hookgate.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The document itself

    @Test
    void theDocumentIsAsyncApi3AndNamesEveryTopicWithTheRightAction() throws IOException {
        assertEquals("3.0.0", document.path("asyncapi").asText());

        Map<String, String> actionByAddress = new TreeMap<>();
        document.get("operations").fields().forEachRemaining(entry -> {
            JsonNode operation = entry.getValue();
            JsonNode channel = document.at(resolve("/operations/" + entry.getKey() + "/channel"));
            String address = channel.path("address").asText();
            assertNull(actionByAddress.put(address, operation.path("action").asText()),
                    "one operation per channel: " + address);
            for (JsonNode message : operation.path("messages")) {
                String pointer = message.path("$ref").asText();
                assertTrue(pointer.startsWith("#/channels/"), "an operation's messages are its channel's: " + pointer);
                resolve(pointer.substring(1));
            }
        });
        // hookgate writes five topics (send) and reads the relay topic (receive); a relay publisher's own
        // document would say send for skyvern.totp-codes, a consumer's receive for the others
        assertEquals(Map.of(
                TOLOKA_TOPICS, "send",
                INTAKE, "send",
                DEAD_LETTER, "send",
                RUNS, "send",
                POLLS, "send",
                RELAY, "receive"), actionByAddress);

        // the addresses are the defaults of application.properties
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"), UTF_8)) {
            properties.load(reader);
        }
        assertEquals(TOLOKA_TOPICS,
                properties.getProperty("hookgate.toloka.topic-template").replace("{type}", "{eventType}"));
        assertEquals(DEAD_LETTER, properties.getProperty("hookgate.dead-letter.topic"));
        assertEquals(RUNS, properties.getProperty("hookgate.skyvern.runs-topic"));
        assertEquals(POLLS, properties.getProperty("hookgate.skyvern.polls-topic"));
        assertEquals(RELAY, properties.getProperty("hookgate.skyvern.relay-topic"));

        for (String address : actionByAddress.keySet()) {
            Contract contract = contract(address); // every message has its payload, key and (written) headers
            if (!RELAY.equals(address)) {
                assertNotNull(contract.headers(), "the headers of " + address);
            }
        }
    }

    @Test
    void theDocumentsOwnExamplesMatchItsSchemas() {
        int checked = 0;
        for (var entry : iterable(document.at("/components/messages"))) {
            String message = "/components/messages/" + entry.getKey();
            Contract contract = contractOf(message, "(example)");
            for (JsonNode example : entry.getValue().path("examples")) {
                String name = entry.getKey() + " example " + example.path("name").asText();
                if (example.has("headers")) {
                    assertValid(contract.headers(), example.get("headers"), "headers of " + name);
                }
                assertTrue(example.has("payload"), name + " has a payload");
                if (!"application/json".equals(contract.contentType())) {
                    assertTrue(example.get("payload").isTextual(), name + ": bytes are shown as a string");
                }
                assertValid(contract.payload(), example.get("payload"), "payload of " + name);
                checked++;
            }
        }
        assertTrue(checked >= 5, "examples checked: " + checked);
    }

    @Test
    void theSchemasUseOnlyDraft07Keywords() {
        for (String address : List.of(TOLOKA_TOPICS, DEAD_LETTER, RUNS, POLLS, RELAY)) {
            Contract contract = contract(address);
            for (JsonSchema schema : new JsonSchema[] {contract.key(), contract.headers(), contract.payload()}) {
                if (schema != null) {
                    schema.initializeValidators(); // every subschema and every $ref target, now
                }
            }
        }
        // the only fields draft-07 does not know are the AsyncAPI document's own, around the schemas
        Set<String> asyncApiFields = new TreeSet<>();
        document.fieldNames().forEachRemaining(asyncApiFields::add);
        Set<String> strays = new TreeSet<>(UNKNOWN_KEYWORDS);
        strays.removeAll(asyncApiFields);
        assertEquals(Set.of(), strays, "keywords draft-07 does not define, in the document's schemas (a typo?)");
    }

    // ---------------------------------------------------------------------------------------------------------
    // What hookgate publishes

    static final String APPROVED = """
            {"event_time":"2026-11-23T10:00:00","project_id":"project-c","pool_id":"pool-c1",\
            "uuid":"c0000000-0000-4000-8000-000000000001","task_suite_id":"ts-c1","assignment_id":"assignment-c1",\
            "webhook_subscription_id":"sub-c1","type":"ASSIGNMENT_APPROVED"}""";
    static final String OVERLAP = """
            { "event_time": "2026-11-23T10:00:01", "project_id": "project-c", "pool_id": "pool-c2",
              "uuid": "c0000000-0000-4000-8000-000000000002", "webhook_subscription_id": "sub-c2",
              "type": "DYNAMIC_OVERLAP_COMPLETED", "task_id": "task-c2", "confidence": 0.123456789012345678901234,
              "assignment_ids": ["a-1", "a-2"], "output_values": {"label": "Zürich ✓"} }""";
    /** A type Toloka may add one day, and no pool_id nor assignment_id: no key, no toloka-pool-id header. */
    static final String UNKNOWN = """
            {"uuid":"c0000000-0000-4000-8000-000000000003","event_time":"2026-11-23T10:00:02",\
            "project_id":"project-c","type":"TASK_SUITE_REVIEWED","review":{"score":5,"comment":null}}""";

    @Test
    void tolokaEventsOfKnownAndUnknownTypesMatchTheirChannel() throws IOException {
        Contract contract = contract(TOLOKA_TOPICS);
        byte[] body = ("{\"events\":[" + APPROVED + ",\n" + OVERLAP + "," + UNKNOWN + "]}").getBytes(UTF_8);
        Map<String, String> eventByTopic = new LinkedHashMap<>();
        eventByTopic.put("toloka.assignment-approved", APPROVED);
        eventByTopic.put("toloka.dynamic-overlap-completed", OVERLAP);
        eventByTopic.put("toloka.task-suite-reviewed", UNKNOWN);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(),
                eventByTopic.keySet().toArray(String[]::new))) {
            HttpResponse<String> answer = hookgate.post("/webhooks/toloka", body, "Content-Type", "application/json",
                    "Toloka-Signature", TOLOKA.signatureHeader(body, CLOCK.millis()));
            assertEquals(200, answer.statusCode(), answer.body());
            String requestId = requestId(answer);

            Map<String, ConsumerRecord<String, byte[]>> records = new HashMap<>();
            for (var entry : eventByTopic.entrySet()) {
                ConsumerRecord<String, byte[]> record = only(reader.awaitRecords(entry.getKey(), 1, WAIT));
                assertConforms(contract, record);
                assertArrayEquals(entry.getValue().getBytes(UTF_8), record.value(), "the event's bytes as received");
                assertEquals(requestId, header(record, "hookgate-request-id"));
                assertEquals(CLOCK.instant().toString(), header(record, "hookgate-received-at"));
                records.put(entry.getKey(), record);
            }
            assertEquals("assignment-c1", records.get("toloka.assignment-approved").key());
            assertEquals("pool-c2", records.get("toloka.dynamic-overlap-completed").key());
            ConsumerRecord<String, byte[]> unknown = records.get("toloka.task-suite-reviewed");
            assertNull(unknown.key(), "neither assignment_id nor pool_id: no key");
            assertNull(header(unknown, "toloka-pool-id"), "no pool_id: no toloka-pool-id header");
            assertEquals("project-c", header(unknown, "toloka-project-id"));
            assertEquals("TASK_SUITE_REVIEWED", header(unknown, "toloka-event-type"));

            // the same schemas refuse the same records once broken
            ObjectNode withoutType = (ObjectNode) JSON.readTree(records.get("toloka.assignment-approved").value());
            withoutType.remove("type");
            assertInvalid(contract.payload(), withoutType, "type");
            ObjectNode headers = headersOf(records.get("toloka.assignment-approved"));
            headers.put("content-type", "application/json");
            assertInvalid(contract.headers(), headers, "content-type");
            headers = headersOf(unknown);
            headers.remove("toloka-event-type");
            assertInvalid(contract.headers(), headers, "toloka-event-type");
        }
    }

    @Test
    void intakeRecordsOfTolokaAndSkyvernRequestsMatchTheirChannel() {
        Contract contract = contract(INTAKE);
        byte[] batch = ("{\"events\":[" + APPROVED.replace("c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-0000000000aa") + "]}").getBytes(UTF_8);
        byte[] run = "{\"run_id\":\"tsk_intake\",\"status\":\"completed\"}".getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), INTAKE)) {
            HttpResponse<String> toloka = hookgate.post("/webhooks/toloka", batch, "Content-Type", "application/json",
                    "Toloka-Signature", new TolokaSigner("1", TOLOKA_SECRET.getBytes(UTF_8))
                            .signatureHeader(batch, CLOCK.millis()));
            HttpResponse<String> skyvern = hookgate.post("/webhooks/skyvern", run, "Content-Type", "application/json",
                    "x-skyvern-signature", new SkyvernSigner(SKYVERN_KEY.getBytes(UTF_8)).signature(run));
            assertEquals(200, toloka.statusCode(), toloka.body());
            assertEquals(200, skyvern.statusCode(), skyvern.body());

            Map<String, ConsumerRecord<String, byte[]>> byRequest = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : reader.awaitRecords(INTAKE, 2, WAIT)) {
                assertConforms(contract, record);
                byRequest.put(header(record, "hookgate-request-id"), record);
            }
            assertArrayEquals(batch, byRequest.get(requestId(toloka)).value(), "the body as received");
            assertArrayEquals(run, byRequest.get(requestId(skyvern)).value(), "the body as received");
        }
    }

    @Test
    void deadLettersOfForgedTolokaAndSkyvernRequestsMatchTheirChannel() {
        Contract contract = contract(DEAD_LETTER);
        byte[] batch = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        String forgedToloka = new TolokaSigner("1", "guessed".getBytes(UTF_8)).signatureHeader(batch, CLOCK.millis());
        byte[] run = "{\"task_id\":\"tsk_forged\",\"status\":\"completed\"}".getBytes(UTF_8);
        String forgedSkyvern = new SkyvernSigner("guessed".getBytes(UTF_8)).signature(run);
        String timestamp = Long.toString(CLOCK.instant().getEpochSecond());
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {
            HttpResponse<String> toloka = hookgate.post("/webhooks/toloka", batch, "Content-Type", "application/json",
                    "Toloka-Signature", forgedToloka);
            HttpResponse<String> skyvern = hookgate.post("/webhooks/skyvern", run, "Content-Type", "application/json",
                    "x-skyvern-signature", forgedSkyvern, "x-skyvern-timestamp", timestamp);
            assertEquals(401, toloka.statusCode(), toloka.body());
            assertEquals(401, skyvern.statusCode(), skyvern.body());

            Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : reader.awaitRecords(DEAD_LETTER, 2, WAIT)) {
                assertConforms(contract, record);
                byKey.put(record.key(), record);
            }
            ConsumerRecord<String, byte[]> deadToloka = byKey.get(requestId(toloka));
            assertNotNull(deadToloka, "keyed by the request id: " + byKey.keySet());
            assertArrayEquals(batch, deadToloka.value());
            assertEquals("signature-mismatch", header(deadToloka, "hookgate-reason"));
            assertEquals("toloka", header(deadToloka, "hookgate-source"));
            assertEquals(forgedToloka, header(deadToloka, "toloka-signature"));
            assertEquals(Integer.toString(batch.length), header(deadToloka, "hookgate-body-size"));
            ConsumerRecord<String, byte[]> deadSkyvern = byKey.get(requestId(skyvern));
            assertNotNull(deadSkyvern, "keyed by the request id: " + byKey.keySet());
            assertArrayEquals(run, deadSkyvern.value());
            assertEquals("skyvern", header(deadSkyvern, "hookgate-source"));
            assertEquals(forgedSkyvern, header(deadSkyvern, "x-skyvern-signature"));
            assertEquals(timestamp, header(deadSkyvern, "x-skyvern-timestamp"));

            assertInvalid(contract.key(), TextNode.valueOf("not-a-request-id"), "pattern");
            ObjectNode mixed = headersOf(deadToloka);
            mixed.put("x-skyvern-signature", forgedSkyvern);
            assertInvalid(contract.headers(), mixed, "x-skyvern-signature");
        }
    }

    @Test
    void aSkyvernRunWebhookMatchesItsChannel() throws IOException {
        Contract contract = contract(RUNS);
        byte[] body = ("{\"task_id\": \"tsk_c1\", \"status\": \"completed\", \"run_id\": \"tsk_c1\","
                + " \"run_type\": \"task_v1\", \"extracted_information\": {\"price\": 12.3400}, \"failure_reason\": null,"
                + " \"something_new\": [1, 2]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RUNS)) {
            HttpResponse<String> answer = hookgate.post("/webhooks/skyvern", body, "Content-Type", "application/json",
                    "x-skyvern-signature", SKYVERN.signature(body),
                    "x-skyvern-timestamp", Long.toString(CLOCK.instant().getEpochSecond()));
            assertEquals(200, answer.statusCode(), answer.body());

            ConsumerRecord<String, byte[]> record = only(reader.awaitRecords(RUNS, 1, WAIT));
            assertConforms(contract, record);
            assertArrayEquals(body, record.value(), "the body exactly as received");
            assertEquals("tsk_c1", record.key());
            assertEquals("task_v1", header(record, "skyvern-run-type"));
            assertEquals("completed", header(record, "skyvern-status"));
            assertEquals(requestId(answer), header(record, "hookgate-request-id"));

            ObjectNode broken = (ObjectNode) JSON.readTree(record.value());
            broken.put("status", 3);
            assertInvalid(contract.payload(), broken, "status");
        }
    }

    @Test
    void totpPollRecordsAnsweredOrNotMatchTheirChannelAndNeverHoldTheCode() throws IOException {
        Contract contract = contract(POLLS);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), POLLS)) {
            HttpResponse<String> answered = poll("Contract_Login", "{\"task_id\":\"tsk_c2\"}");
            HttpResponse<String> notYet = poll("nobody-here",
                    "{\"workflow_run_id\":\"wr_c3\",\"workflow_permanent_id\":\"wpid_c3\"}");
            HttpResponse<String> notAnIdentifier = poll("not.an.identifier", "{}");
            String code = JSON.readTree(answered.body()).path("verification_code").asText();
            assertEquals(6, code.length(), answered.body());
            assertEquals("", JSON.readTree(notYet.body()).path("verification_code").asText(), notYet.body());

            assertEquals("", JSON.readTree(notAnIdentifier.body()).path("verification_code").asText());
            List<ConsumerRecord<String, byte[]>> polls = reader.awaitRecords(POLLS, 3, WAIT);
            assertEquals(3, polls.size());
            for (ConsumerRecord<String, byte[]> record : polls) {
                assertConforms(contract, record);
                assertFalse(new String(record.value(), UTF_8).contains(code), "never the code");
            }
            ConsumerRecord<String, byte[]> first = polls.get(0);
            assertEquals("contract-login", first.key(), "the normalized identifier");
            JsonNode audit = JSON.readTree(first.value());
            assertTrue(audit.get("answered").booleanValue());
            assertEquals("tsk_c2", audit.get("task_id").textValue());
            assertEquals(CLOCK.instant().toString(), audit.get("polled_at").textValue());
            assertEquals(requestId(answered), audit.get("request_id").textValue());
            assertEquals(List.of("identifier", "task_id", "workflow_run_id", "workflow_permanent_id", "answered",
                    "polled_at", "request_id"), fieldNames(audit), "the fields and their order");
            ConsumerRecord<String, byte[]> second = polls.get(1);
            assertEquals("nobody-here", second.key());
            JsonNode notAnswered = JSON.readTree(second.value());
            assertFalse(notAnswered.get("answered").booleanValue());
            assertTrue(notAnswered.get("task_id").isNull());
            assertEquals("wpid_c3", notAnswered.get("workflow_permanent_id").textValue());
            ConsumerRecord<String, byte[]> third = polls.get(2);
            assertNull(third.key(), "a URL segment that is no identifier: no key");
            assertTrue(JSON.readTree(third.value()).get("identifier").isNull());

            // the audit record is closed: a code in it, or a field missing, breaks the contract
            ObjectNode withCode = (ObjectNode) audit.deepCopy();
            withCode.put("verification_code", code);
            assertInvalid(contract.payload(), withCode, "verification_code");
            ObjectNode withoutRequestId = (ObjectNode) audit.deepCopy();
            withoutRequestId.remove("request_id");
            assertInvalid(contract.payload(), withoutRequestId, "request_id");
        }
    }

    @Test
    void aRelayedCodeThatMatchesTheRelayChannelIsOneHookgateAnswers() {
        Contract contract = contract(RELAY);
        String code = "Your sign-in code is 246810";
        String value = "{\"code\":\"" + code + "\",\"task_id\":\"tsk_relay\",\"expires_at\":\""
                + Instant.now().plus(Duration.ofMinutes(10)) + "\"}";
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RELAY)) {
            publish(RELAY, "Relay_Login", value);

            ConsumerRecord<String, byte[]> record = only(reader.awaitRecords(RELAY, 1, WAIT));
            assertConforms(contract, record);
            // and hookgate, reading the relay topic, takes it: the run it is scoped to gets it
            await().atMost(WAIT).until(() -> code.equals(
                    JSON.readTree(poll("relay-login", "{\"task_id\":\"tsk_relay\"}").body())
                            .path("verification_code").asText()));

            assertInvalid(contract.payload(), json("{\"task_id\":\"tsk_relay\"}"), "code");
            assertInvalid(contract.payload(), json("{\"code\":\"1\",\"expires_at\":\"in ten minutes\"}"), "expires_at");
            assertInvalid(contract.key(), TextNode.valueOf("not an identifier"), "pattern");
        }
    }

    @Test
    void theValidationFailsForRecordsThatBreakTheContract() {
        // a value missing a required field, per channel
        assertInvalid(contract(TOLOKA_TOPICS).payload(), json("{\"uuid\":\"u\",\"pool_id\":\"p\"}"), "type");
        assertInvalid(contract(TOLOKA_TOPICS).payload(), json("{\"type\":\"POOL CLOSED\"}"), "type");
        assertInvalid(contract(POLLS).payload(), json("{\"identifier\":\"x\",\"answered\":true}"), "request_id");
        assertInvalid(contract(RELAY).payload(), json("{\"code\":\"   \"}"), "code");
        assertInvalid(contract(RUNS).payload(), json("[\"not\",\"a\",\"run\"]"), "type");
        // headers: a missing required one, a value of the wrong shape
        assertInvalid(contract(RUNS).headers(), json("{\"hookgate-source\":\"skyvern\"}"), "hookgate-request-id");
        assertInvalid(contract(DEAD_LETTER).headers(), json("""
                {"hookgate-reason":"bad-luck","hookgate-source":"toloka",\
                "hookgate-request-id":"abad48d3-c2d4-4bc4-bfad-012f3321fb9f",\
                "hookgate-received-at":"2026-11-23T12:00:00Z","hookgate-request-path":"/webhooks/toloka",\
                "hookgate-body-size":"12"}"""), "hookgate-reason");
        assertInvalid(contract(POLLS).headers(), json("""
                {"hookgate-source":"skyvern","hookgate-request-id":"abad48d3-c2d4-4bc4-bfad-012f3321fb9f",\
                "hookgate-received-at":"yesterday"}"""), "hookgate-received-at");
        assertInvalid(contract(POLLS).headers(), json("""
                {"hookgate-source":"skyvern","hookgate-request-id":"42",\
                "hookgate-received-at":"2026-11-23T12:00:00Z"}"""), "hookgate-request-id");
        // keys
        assertInvalid(contract(POLLS).key(), TextNode.valueOf("Upper_Case"), "pattern");
        assertInvalid(contract(DEAD_LETTER).key(), NullNode.getInstance(), "type");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading the document

    /** What the document says about the records of one channel: content type and schemas of key, headers, value. */
    record Contract(String address, String contentType, JsonSchema key, JsonSchema headers, JsonSchema payload) {
    }

    /** The contract of the one message of the channel with this address. */
    static Contract contract(String address) {
        List<String> channels = new ArrayList<>();
        for (var entry : iterable(document.get("channels"))) {
            if (address.equals(entry.getValue().path("address").asText())) {
                channels.add(entry.getKey());
            }
        }
        assertEquals(1, channels.size(), "channels with address " + address + ": " + channels);
        JsonNode messages = document.at("/channels/" + channels.get(0) + "/messages");
        assertEquals(1, messages.size(), "one message on " + address);
        return contractOf(resolve("/channels/" + channels.get(0) + "/messages/" + messages.fieldNames().next()),
                address);
    }

    static Contract contractOf(String messagePointer, String address) {
        JsonNode message = document.at(messagePointer);
        String contentType = message.path("contentType").asText(document.path("defaultContentType").asText());
        return new Contract(address, contentType,
                schemaAt(messagePointer + "/bindings/kafka/key"),
                message.has("headers") ? schemaAt(messagePointer + "/headers") : null,
                schemaAt(messagePointer + "/payload"));
    }

    /** The schema at a pointer into the document: a draft-07 Multi Format Schema Object's schema, or a Schema Object. */
    static JsonSchema schemaAt(String pointer) {
        JsonNode node = document.at(pointer);
        assertFalse(node.isMissingNode(), "the document has nothing at " + pointer);
        if (node.has("schemaFormat")) {
            assertEquals(DRAFT_07, node.get("schemaFormat").asText(), "the schema format at " + pointer);
            pointer += "/schema";
        }
        JsonNodePath path = new JsonNodePath(PathType.JSON_POINTER);
        for (String segment : pointer.substring(1).split("/")) {
            path = path.append(segment);
        }
        return root.getSubSchema(path);
    }

    /** Follows Reference Objects within the document to the pointer of the object they name. */
    static String resolve(String pointer) {
        JsonNode node = document.at(pointer);
        assertFalse(node.isMissingNode(), "the document has nothing at " + pointer);
        for (int hops = 0; node.has("$ref"); hops++) {
            String ref = node.get("$ref").asText();
            assertTrue(ref.startsWith("#/") && hops < 10, "a local reference: " + ref);
            pointer = ref.substring(1);
            node = document.at(pointer);
            assertFalse(node.isMissingNode(), "dangling reference " + ref);
        }
        return pointer;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checking records

    static void assertConforms(Contract contract, ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        assertTrue(addressPattern(contract.address()).matcher(record.topic()).matches(),
                where + " is not on the channel " + contract.address());
        assertValid(contract.key(), record.key() == null ? NullNode.getInstance() : TextNode.valueOf(record.key()),
                "the key of " + where);
        if (contract.headers() != null) {
            assertValid(contract.headers(), headersOf(record), "the headers of " + where);
        }
        assertValid(contract.payload(), valueOf(contract, record), "the value of " + where);
    }

    /** An address with its parameters as kebab-case names ({@code toloka.{eventType}} → {@code toloka\.[a-z0-9-]+}). */
    static Pattern addressPattern(String address) {
        StringBuilder regex = new StringBuilder();
        for (String part : address.split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[a-z0-9-]{1,100}" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** The record's headers as a JSON object of UTF-8 strings; a header twice fails. */
    static ObjectNode headersOf(ConsumerRecord<String, byte[]> record) {
        ObjectNode headers = JSON.createObjectNode();
        for (Header header : record.headers()) {
            assertFalse(headers.has(header.key()), "header " + header.key() + " twice on " + record.topic());
            assertNotNull(header.value(), "header " + header.key() + " has a value");
            headers.put(header.key(), utf8(header.value(), "header " + header.key()));
        }
        return headers;
    }

    /** The value as the instance its schema describes: JSON parsed strictly; other bytes as a (base64) string. */
    static JsonNode valueOf(Contract contract, ConsumerRecord<String, byte[]> record) {
        assertNotNull(record.value(), "a value on " + record.topic());
        switch (contract.contentType()) {
            case "application/json":
                try {
                    return JSON.readTree(record.value());
                } catch (IOException e) {
                    throw new AssertionError("the value on " + record.topic() + " is not one JSON value", e);
                }
            case "application/octet-stream":
                return TextNode.valueOf(Base64.getEncoder().encodeToString(record.value()));
            default:
                return fail("no rule for the content type " + contract.contentType());
        }
    }

    static void assertValid(JsonSchema schema, JsonNode instance, String what) {
        Set<ValidationMessage> errors = schema.validate(instance);
        assertTrue(errors.isEmpty(), what + " does not match the AsyncAPI document: " + errors + "\n" + instance);
    }

    /** The schema refuses the instance, with a message naming {@code expected} (a property or keyword). */
    static void assertInvalid(JsonSchema schema, JsonNode instance, String expected) {
        Set<ValidationMessage> errors = schema.validate(instance);
        assertFalse(errors.isEmpty(), "the document's schema accepted " + instance);
        assertTrue(errors.stream().anyMatch(e -> e.getMessage().contains(expected) || e.getType().equals(expected)),
                "expected an error about '" + expected + "': " + errors);
    }

    // ---------------------------------------------------------------------------------------------------------

    static HttpResponse<String> poll(String identifier, String json) {
        byte[] body = json.getBytes(UTF_8);
        HttpResponse<String> answer = hookgate.post("/skyvern/totp/" + identifier, body,
                "Content-Type", "application/json", "x-skyvern-signature", SKYVERN.signature(body),
                "x-skyvern-timestamp", Long.toString(CLOCK.instant().getEpochSecond()));
        assertEquals(200, answer.statusCode(), answer.body());
        return answer;
    }

    static void publish(String topic, String key, String value) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("could not publish to " + topic, e);
        }
    }

    /** The request id hookgate answered with, in its hookgate-request-id header (and request_id of a JSON status). */
    static String requestId(HttpResponse<String> answer) {
        String id = answer.headers().firstValue("hookgate-request-id").orElse(null);
        assertNotNull(id, "a hookgate-request-id header on the answer " + answer.body());
        String inBody = json(answer.body()).path("request_id").asText(null);
        if (inBody != null) {
            assertEquals(id, inBody, "request_id of " + answer.body());
        }
        return id;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }

    static String utf8(byte[] bytes, String what) {
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(what + " is not UTF-8", e);
        }
    }
}
