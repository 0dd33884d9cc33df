package io.hookgate.kamelet;

import static io.hookgate.testing.TestHttp.freePort;
import io.hookgate.testing.TestHttp;
import static io.hookgate.testing.TopicReader.only;
import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kamelets {@code toloka-source} and {@code skyvern-source}, as a Camel user would use them: a plain
 * {@link DefaultCamelContext} with the hookgate jar on the classpath (the Kamelets resolve from
 * {@code classpath:kamelets}), no {@code HookgateBeans} and no {@code hookgate.*} settings, and the
 * user's own YAML routes from the Kamelets to Kafka; over real HTTP against a real broker.
 */
class KameletsIT {

    // secrets reach the verifiers as given: a comma, quotes and braces, or digits only, are still text
    static final String TOLOKA_SECRET = "kamelet-toloka-secret, with \"quotes\" and {braces}";
    static final String OTHER_TOLOKA_SECRET = "20261123";
    static final String ROTATED_TOLOKA_SECRET = "kamelet-rotated-toloka-secret";
    static final String SKYVERN_KEY = "kamelet-skyvern-api-key";
    static final String EVENTS = "kamelet.toloka";
    static final String OTHER_EVENTS = "kamelet.toloka-b.assignment-approved";
    static final String RUNS = "kamelet.skyvern-runs";
    static final String DEAD_LETTER = "kamelet.dead-letter";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final TolokaSigner TOLOKA = new TolokaSigner("1", TOLOKA_SECRET.getBytes(UTF_8));
    static final SkyvernSigner SKYVERN = new SkyvernSigner(SKYVERN_KEY.getBytes(UTF_8));

    static final String APPROVED = """
            {"event_time":"2026-11-23T10:00:00","project_id":"project-1","pool_id":"pool-1",\
            "uuid":"88888888-8888-4888-8888-888888888888","task_suite_id":"ts-1","assignment_id":"kamelet-1",\
            "webhook_subscription_id":"sub-1","type":"ASSIGNMENT_APPROVED","unknown_field":1.50}""";
    static final String CLOSED = """
            { "event_time": "2026-11-23T10:00:01", "pool_id": "kamelet-pool",
              "uuid": "99999999-9999-4999-8999-999999999999", "type": "POOL_CLOSED", "close_reason": "MANUAL" }""";
    static final String RUN = """
            {"run_id":"wr_kamelet_1","run_type":"workflow_run","status":"completed",\
            "output":{"a":1},"unknown":[true, null]}""";

    /** The user's routes: what a Camel deployment writes to use the Kamelets. */
    static final String USER_ROUTES = """
            - route:
                id: toloka-events-to-kafka
                from:
                  uri: kamelet:toloka-source
                  parameters:
                    path: /k/toloka
                    secret: "{{kamelets-it.toloka-secret}}"
                    deadLetterUri: "kafka:kamelet.dead-letter?valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer"
                  steps:
                    - to:
                        uri: kafka:kamelet.toloka
                        parameters:
                          valueSerializer: org.apache.kafka.common.serialization.ByteArraySerializer
            - route:
                id: toloka-events-by-type
                from:
                  uri: kamelet:toloka-source
                  parameters:
                    path: /k/toloka-b
                    secret: "{{kamelets-it.other-toloka-secret}}"
                    keyVersion: 2
                    additionalSecret: "{{kamelets-it.rotated-toloka-secret}}"
                    additionalKeyVersion: 3
                  steps:
                    # a topic per event type, named as hookgate names them
                    - toD:
                        uri: "kafka:kamelet.toloka-b.${header.toloka-event-type.toLowerCase().replaceAll('_', '-')}"
                        parameters:
                          valueSerializer: org.apache.kafka.common.serialization.ByteArraySerializer
            - route:
                id: toloka-events-to-a-failing-sink
                from:
                  uri: kamelet:toloka-source
                  parameters:
                    path: /k/toloka-failing
                    secret: "{{kamelets-it.toloka-secret}}"
                    retryAfterSeconds: 7
                  steps:
                    - throwException:
                        exceptionType: java.lang.IllegalStateException
                        message: the sink is down
            - route:
                id: toloka-events-with-a-failing-dead-letter-uri
                from:
                  uri: kamelet:toloka-source
                  parameters:
                    path: /k/toloka-dead-letter-down
                    secret: "{{kamelets-it.toloka-secret}}"
                    deadLetterUri: "direct:kamelets-it-nobody-listens?block=false"
                  steps:
                    - to: kafka:kamelet.toloka
            - route:
                id: toloka-events-with-a-dead-letter-limit
                from:
                  uri: kamelet:toloka-source
                  parameters:
                    path: /k/toloka-limited
                    secret: "{{kamelets-it.toloka-secret}}"
                    deadLetterUri: "kafka:kamelet.dead-letter.limited?valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer"
                    deadLetterMaxPerSecond: 1
                    deadLetterBurst: 2
                  steps:
                    - to: kafka:kamelet.toloka
            - route:
                id: skyvern-runs-to-kafka
                from:
                  uri: kamelet:skyvern-source
                  parameters:
                    path: /k/skyvern
                    apiKey: "{{kamelets-it.skyvern-api-key}}"
                    deadLetterUri: "kafka:kamelet.dead-letter?valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer"
                  steps:
                    - to:
                        uri: kafka:kamelet.skyvern-runs
                        parameters:
                          valueSerializer: org.apache.kafka.common.serialization.ByteArraySerializer
            """;

    static CamelContext context;
    static int port;

    @BeforeAll
    static void startPlainCamelContextWithTheKamelets() throws Exception {
        port = freePort();
        context = new DefaultCamelContext();

        // the user's own settings (as from its environment): the secrets the Kamelet parameters refer to
        Properties settings = new Properties();
        settings.setProperty("kamelets-it.toloka-secret", TOLOKA_SECRET);
        settings.setProperty("kamelets-it.other-toloka-secret", OTHER_TOLOKA_SECRET);
        settings.setProperty("kamelets-it.rotated-toloka-secret", ROTATED_TOLOKA_SECRET);
        settings.setProperty("kamelets-it.skyvern-api-key", SKYVERN_KEY);
        context.getPropertiesComponent().setInitialProperties(settings);

        KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
        kafka.setBrokers(SharedKafka.bootstrapServers());
        kafka.setRequestRequiredAcks("all");
        kafka.setMaxBlockMs(5000);
        kafka.setRequestTimeoutMs(5000);
        kafka.setDeliveryTimeoutMs(10000);
        kafka.setLingerMs(0);

        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(http));

        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.fromString("kamelets-it.camel.yaml", USER_ROUTES));
        context.start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void shouldRunEveryKameletInstanceFromTheJarsClasspath() {
        assertNull(context.getRegistry().lookupByName("readTolokaRequest"), "no HookgateBeans: the Kamelets need none");
        List<String> kamelets = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            assertTrue(context.getRouteController().getRouteStatus(route.getRouteId()).isStarted(), route.getRouteId());
            if (route.isCreatedByKamelet()) {
                kamelets.add(route.getEndpoint().getEndpointBaseUri());
            }
        }
        assertEquals(Set.of("platform-http:///k/toloka", "platform-http:///k/toloka-b",
                "platform-http:///k/toloka-failing", "platform-http:///k/toloka-dead-letter-down",
                "platform-http:///k/toloka-limited", "platform-http:///k/skyvern"), Set.copyOf(kamelets));
    }

    @Test
    void shouldEmitOneMessagePerEventOfASignedBatch() {
        byte[] body = ("{\"events\":[" + APPROVED + ",\n" + CLOSED + "]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), EVENTS)) {

            HttpResponse<String> answer = post("/k/toloka", body,
                    "Toloka-Signature", TOLOKA.signatureHeader(body, System.currentTimeMillis()));

            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"status\":\"accepted\",\"events\":2"), answer.body());
            String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();

            List<ConsumerRecord<String, byte[]>> records = reader.awaitRecords(EVENTS, 2, WAIT);
            assertEquals(2, records.size(), "one record per event: " + records);
            ConsumerRecord<String, byte[]> approved = records.get(0);
            assertEquals("kamelet-1", approved.key(), "kafka.KEY: assignment_id");
            assertArrayEquals(APPROVED.getBytes(UTF_8), approved.value(), "the event's bytes as received");
            assertEquals(Set.of("hookgate-source", "toloka-event-type", "toloka-event-uuid", "toloka-pool-id",
                    "toloka-project-id", "hookgate-request-id", "hookgate-received-at"), headerNames(approved),
                    "hookgate's headers only: no request header, no Camel header");
            assertEquals("toloka", header(approved, "hookgate-source"));
            assertEquals("ASSIGNMENT_APPROVED", header(approved, "toloka-event-type"));
            assertEquals("88888888-8888-4888-8888-888888888888", header(approved, "toloka-event-uuid"));
            assertEquals(requestId, header(approved, "hookgate-request-id"));

            ConsumerRecord<String, byte[]> closed = records.get(1);
            assertEquals("kamelet-pool", closed.key(), "kafka.KEY: pool_id without an assignment");
            assertArrayEquals(CLOSED.getBytes(UTF_8), closed.value(), "the event's bytes as received");
            assertEquals("POOL_CLOSED", header(closed, "toloka-event-type"));
            assertEquals(requestId, header(closed, "hookgate-request-id"));
        }
    }

    @Test
    void shouldAnswer401AndDeadLetterAForgedBatch() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        String forged = new TolokaSigner("1", "guess".getBytes(UTF_8)).signatureHeader(body, System.currentTimeMillis());
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER, EVENTS)) {

            HttpResponse<String> answer = post("/k/toloka", body, "Toloka-Signature", forged);

            assertEquals(401, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"error\":\"signature-mismatch\""), answer.body());
            assertFalse(answer.body().contains(TOLOKA_SECRET), "no secret in the answer");
            String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();

            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals(requestId, dead.key());
            assertArrayEquals(body, dead.value(), "the raw body exactly as received");
            assertEquals("signature-mismatch", header(dead, "hookgate-reason"));
            assertEquals("toloka", header(dead, "hookgate-source"));
            assertEquals("/k/toloka", header(dead, "hookgate-request-path"));
            assertEquals(forged, header(dead, "toloka-signature"), "the signature header as received");
            assertTrue(reader.recordsSoFar(EVENTS, Duration.ofMillis(300)).isEmpty(), "nothing emitted");
        }
    }

    @Test
    void shouldDeadLetterOnlyUpToTheInstancesLimitButAnswerEveryRefusal() {
        String limited = "kamelet.dead-letter.limited";
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), limited)) {
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
                String forged = new TolokaSigner("1", "guess".getBytes(UTF_8)).signatureHeader(body, System.currentTimeMillis());
                HttpResponse<String> answer = post("/k/toloka-limited", body, "Toloka-Signature", forged);
                assertEquals(401, answer.statusCode(), answer.body());
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

            reader.awaitRecords(limited, 2, WAIT);
            int written = reader.recordsSoFar(limited, Duration.ofSeconds(2)).size();
            // the burst of 2, and one more per second the 10 requests took (real time here)
            assertTrue(written >= 2 && written <= 2 + seconds + 1, written + " written in " + seconds + " s");
            assertTrue(written < 10, "the limit dropped some");
        }
    }

    @Test
    void shouldRefuseABodyThatIsNotDeclaredAsJson() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {

            HttpResponse<String> answer = postAs("application/x-www-form-urlencoded", "/k/toloka", body,
                    "Toloka-Signature", TOLOKA.signatureHeader(body, System.currentTimeMillis()));

            assertEquals(415, answer.statusCode(), answer.body());
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals("unsupported-media-type", header(dead, "hookgate-reason"));
            assertArrayEquals(body, dead.value());
        }
    }

    @Test
    void shouldVerifyEachInstanceWithItsOwnSecret() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        TolokaSigner other = new TolokaSigner("2", OTHER_TOLOKA_SECRET.getBytes(UTF_8));
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), OTHER_EVENTS, EVENTS)) {

            HttpResponse<String> accepted = post("/k/toloka-b", body,
                    "Toloka-Signature", other.signatureHeader(body, System.currentTimeMillis()));
            HttpResponse<String> otherKeyVersion = post("/k/toloka-b", body,
                    "Toloka-Signature", TOLOKA.signatureHeader(body, System.currentTimeMillis()));
            HttpResponse<String> otherSecret = post("/k/toloka", body,
                    "Toloka-Signature", new TolokaSigner("1", OTHER_TOLOKA_SECRET.getBytes(UTF_8))
                            .signatureHeader(body, System.currentTimeMillis()));

            assertEquals(200, accepted.statusCode(), accepted.body());
            assertEquals(401, otherKeyVersion.statusCode(), otherKeyVersion.body());
            assertTrue(otherKeyVersion.body().contains("unknown-key-version"), otherKeyVersion.body());
            assertEquals(401, otherSecret.statusCode(), otherSecret.body());
            assertTrue(otherSecret.body().contains("signature-mismatch"), otherSecret.body());
            // the sink decides where an event goes: here a topic per type, from the event-type header
            ConsumerRecord<String, byte[]> record = only(reader.awaitRecords(OTHER_EVENTS, 1, WAIT));
            assertArrayEquals(APPROVED.getBytes(UTF_8), record.value());
            assertTrue(reader.recordsSoFar(EVENTS, Duration.ofMillis(300)).isEmpty(), "nothing on the other route");
        }
    }

    @Test
    void shouldAcceptBothKeyVersionsWhileRotating() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        TolokaSigner rotated = new TolokaSigner("3", ROTATED_TOLOKA_SECRET.getBytes(UTF_8));
        TolokaSigner current = new TolokaSigner("2", OTHER_TOLOKA_SECRET.getBytes(UTF_8));
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), OTHER_EVENTS)) {

            HttpResponse<String> byRotated = post("/k/toloka-b", body,
                    "Toloka-Signature", rotated.signatureHeader(body, System.currentTimeMillis()));
            HttpResponse<String> byCurrent = post("/k/toloka-b", body,
                    "Toloka-Signature", current.signatureHeader(body, System.currentTimeMillis()));

            assertEquals(200, byRotated.statusCode(), byRotated.body());
            assertEquals(200, byCurrent.statusCode(), byCurrent.body());
            assertEquals(2, reader.awaitRecords(OTHER_EVENTS, 2, WAIT).size());
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheSinkFails() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);

        HttpResponse<String> answer = post("/k/toloka-failing", body,
                "Toloka-Signature", TOLOKA.signatureHeader(body, System.currentTimeMillis()));

        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("7", answer.headers().firstValue("Retry-After").orElse(null));
        assertTrue(answer.body().contains("\"error\":\"kafka-unavailable\""), answer.body());
        assertFalse(answer.body().contains("the sink is down"), "the sink's failure is not echoed");
    }

    @Test
    void shouldAnswer503WhenTheDeadLetterUriFailsSoThatTheSenderRetries() {
        byte[] body = "{\"events\":[]}".getBytes(UTF_8);

        HttpResponse<String> answer = post("/k/toloka-dead-letter-down", body, "Toloka-Signature", "v=1");

        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("10", answer.headers().firstValue("Retry-After").orElse(null), "retryAfterSeconds' default");
    }

    @Test
    void shouldOnlyAnswerARefusalWhenNoDeadLetterUriIsSet() {
        byte[] body = "{\"events\":[]}".getBytes(UTF_8);

        HttpResponse<String> answer = post("/k/toloka-failing", body, "Toloka-Signature", "v=1");

        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"error\":\"malformed-signature\""), answer.body());
    }

    @Test
    void shouldEmitASignedSkyvernRunAsReceived() {
        byte[] body = RUN.getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RUNS)) {

            HttpResponse<String> answer = post("/k/skyvern", body, "x-skyvern-signature", SKYVERN.signature(body),
                    "x-skyvern-timestamp", Long.toString(System.currentTimeMillis() / 1000));

            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"status\":\"accepted\",\"events\":1"), answer.body());
            String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();
            ConsumerRecord<String, byte[]> run = only(reader.awaitRecords(RUNS, 1, WAIT));
            assertEquals("wr_kamelet_1", run.key(), "kafka.KEY: run_id");
            assertArrayEquals(body, run.value(), "the body exactly as received");
            assertEquals(Set.of("hookgate-source", "skyvern-run-type", "skyvern-status", "hookgate-request-id",
                    "hookgate-received-at"), headerNames(run), "hookgate's headers only");
            assertEquals("skyvern", header(run, "hookgate-source"));
            assertEquals("workflow_run", header(run, "skyvern-run-type"));
            assertEquals("completed", header(run, "skyvern-status"));
            assertEquals(requestId, header(run, "hookgate-request-id"));
        }
    }

    @Test
    void shouldAnswer401AndDeadLetterAForgedSkyvernRun() {
        byte[] body = RUN.getBytes(UTF_8);
        String forged = new SkyvernSigner("guess".getBytes(UTF_8)).signature(body);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER, RUNS)) {

            HttpResponse<String> answer = post("/k/skyvern", body, "x-skyvern-signature", forged);

            assertEquals(401, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"error\":\"signature-mismatch\""), answer.body());
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertArrayEquals(body, dead.value(), "the raw body exactly as received");
            assertEquals("signature-mismatch", header(dead, "hookgate-reason"));
            assertEquals("skyvern", header(dead, "hookgate-source"));
            assertEquals(forged, header(dead, "x-skyvern-signature"));
            assertTrue(reader.recordsSoFar(RUNS, Duration.ofMillis(300)).isEmpty(), "nothing emitted");
        }
    }

    @Test
    void shouldRefuseToStartWithABadParameterNamingItAndNotTheSecret() {
        String secret = "never-in-a-message";
        String routes = """
                - route:
                    from:
                      uri: kamelet:toloka-source
                      parameters:
                        secret: "%s"
                        toleranceSeconds: -1
                      steps:
                        - log: never
                """.formatted(secret);
        CamelContext broken = new DefaultCamelContext();
        try {
            Exception failure = assertThrows(Exception.class, () -> {
                PluginHelper.getRoutesLoader(broken).loadRoutes(ResourceHelper.fromString("broken.camel.yaml", routes));
                broken.start();
            });
            String messages = messages(failure);
            assertTrue(messages.contains("Kamelet parameter toleranceSeconds must be a whole number"), messages);
            assertFalse(messages.contains(secret), messages);
        } finally {
            broken.stop();
        }
    }

    @Test
    void shouldRefuseToStartWithoutTheSecret() {
        String routes = """
                - route:
                    from:
                      uri: kamelet:skyvern-source
                      steps:
                        - log: never
                """;
        CamelContext broken = new DefaultCamelContext();
        try {
            Exception failure = assertThrows(Exception.class, () -> {
                PluginHelper.getRoutesLoader(broken).loadRoutes(ResourceHelper.fromString("broken.camel.yaml", routes));
                broken.start();
            });
            String messages = messages(failure);
            assertTrue(messages.contains("mandatory parameters must be provided: apiKey"), messages);
        } finally {
            broken.stop();
        }
    }

    /** Documented parameters (title, description, type), secrets marked, placeholders declared. */
    @Test
    @SuppressWarnings("unchecked")
    void shouldDocumentEveryParameterAndMarkTheSecrets() throws IOException {
        String version = projectVersion();
        Map<String, Set<String>> secrets = Map.of(
                "toloka-source", Set.of("secret", "additionalSecret"),
                "skyvern-source", Set.of("apiKey", "additionalApiKey"));
        for (var kamelet : secrets.entrySet()) {
            String text;
            try (InputStream in = KameletsIT.class.getResourceAsStream("/kamelets/" + kamelet.getKey() + ".kamelet.yaml")) {
                assertNotNull(in, kamelet.getKey() + " is in the jar under kamelets/");
                text = new String(in.readAllBytes(), UTF_8);
            }
            Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
            Map<String, Object> metadata = (Map<String, Object>) root.get("metadata");
            assertEquals("camel.apache.org/v1", root.get("apiVersion"));
            assertEquals("Kamelet", root.get("kind"));
            assertEquals(kamelet.getKey(), metadata.get("name"));
            assertEquals("source", ((Map<String, Object>) metadata.get("labels")).get("camel.apache.org/kamelet.type"));
            Map<String, Object> spec = (Map<String, Object>) root.get("spec");
            Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) definition.get("properties");
            for (var property : properties.entrySet()) {
                String where = kamelet.getKey() + " " + property.getKey();
                for (String field : List.of("title", "description", "type")) {
                    assertNotNull(property.getValue().get(field), where + " has a " + field);
                }
                boolean secret = secrets.get(kamelet.getKey()).contains(property.getKey());
                assertEquals(secret ? "password" : null, property.getValue().get("format"), where);
                assertEquals(secret ? List.of("urn:camel:group:credentials") : null,
                        property.getValue().get("x-descriptors"), where);
                assertFalse(secret && property.getValue().containsKey("default"), where + ": no default secret");
            }
            assertTrue(properties.keySet().containsAll((List<String>) definition.get("required")), kamelet.getKey());
            assertTrue(((List<String>) spec.get("dependencies")).contains("mvn:io.hookgate:hookgate:" + version),
                    kamelet.getKey() + " depends on this version of the hookgate jar");

            Map<String, Object> template = (Map<String, Object>) spec.get("template");
            Set<String> beans = new TreeSet<>();
            for (Map<String, Object> bean : (List<Map<String, Object>>) template.get("beans")) {
                beans.add((String) bean.get("name"));
            }
            Matcher placeholders = Pattern.compile("\\{\\{\\??([A-Za-z]+)}}").matcher(text);
            while (placeholders.find()) {
                String name = placeholders.group(1);
                assertTrue(properties.containsKey(name) || beans.contains(name),
                        kamelet.getKey() + ": {{" + name + "}} is a parameter or a bean of the template");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------

    static HttpResponse<String> post(String path, byte[] body, String... headers) {
        return postAs("application/json", path, body, headers);
    }

    static HttpResponse<String> postAs(String contentType, String path, byte[] body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = contentType;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return TestHttp.post(URI.create("http://localhost:" + port + path), body, all);
    }

    static Set<String> headerNames(ConsumerRecord<?, ?> record) {
        Set<String> names = new TreeSet<>();
        StreamSupport.stream(record.headers().spliterator(), false).map(Header::key).forEach(names::add);
        return names;
    }

    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    /** The project's version, from pom.xml (the tests run in the project's directory). */
    static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>hookgate</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find(), "pom.xml names hookgate's version");
        return version.group(1);
    }
}
