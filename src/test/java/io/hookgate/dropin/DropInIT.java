package io.hookgate.dropin;

import static io.hookgate.testing.TestHttp.freePort;
import io.hookgate.testing.TestHttp;
import static io.hookgate.testing.TopicReader.only;
import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.camel.HookgateBeans;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * hookgate dropped into an existing Camel deployment: a plain {@link DefaultCamelContext}, no
 * camel-main, given only what such a deployment adds (hookgate's properties, its bean configuration,
 * the YAML routes, an HTTP server for platform-http and the Kafka component's settings), then the
 * Toloka path end to end over real HTTP against a real broker.
 */
class DropInIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET = "drop-in-test-secret-v1";
    static final String DEAD_LETTER = "hookgate.dead-letter";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final TolokaSigner SIGNER = new TolokaSigner("1", SECRET.getBytes(UTF_8));

    static final String APPROVED = """
            {"event_time":"2026-11-23T10:00:00","project_id":"project-1","pool_id":"pool-1",\
            "uuid":"66666666-6666-4666-8666-666666666666","task_suite_id":"ts-1","assignment_id":"drop-in-1",\
            "webhook_subscription_id":"sub-1","type":"ASSIGNMENT_APPROVED"}""";
    static final String CLOSED = """
            { "event_time": "2026-11-23T10:00:01", "pool_id": "drop-in-pool",
              "uuid": "77777777-7777-4777-8777-777777777777", "type": "POOL_CLOSED", "close_reason": "MANUAL" }""";

    static CamelContext context;
    static int port;

    @BeforeAll
    static void startPlainCamelContext() throws Exception {
        port = freePort();
        context = new DefaultCamelContext();

        // 1. hookgate's settings: its application.properties as one more location, and what a deployment
        //    would set in its environment (HOOKGATE_TOLOKA_SECRETS_1, CAMEL_COMPONENT_KAFKA_BROKERS; Skyvern
        //    is not under test) as override properties, since a test cannot set environment variables
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addLocation("file:application.properties");
        Properties environment = new Properties();
        environment.setProperty("hookgate.toloka.secrets.1", SECRET);
        environment.setProperty("hookgate.skyvern.enabled", "false");
        environment.setProperty("camel.component.kafka.brokers", SharedKafka.bootstrapServers());
        properties.setOverrideProperties(environment);

        // 2. the beans the routes call, by name
        new HookgateBeans().configure(context);

        // 3. the Kafka component's producer settings (camel.component.kafka.*), which only camel-main and
        //    the other runtimes apply by themselves
        ComponentProperties.apply(context, "kafka");

        // 4. an HTTP server for platform-http: Vert.x, as camel-main's embedded server is
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindPort(port);
        context.addService(new VertxPlatformHttpServer(http));

        // 5. the YAML routes
        List<Resource> routes = PluginHelper.getPackageScanResourceResolver(context)
                .findResources("file:routes/*.camel.yaml").stream().toList();
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);

        context.start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void shouldRunTheRoutesInAPlainCamelContext() {
        assertEquals(DefaultCamelContext.class, context.getClass());
        assertTrue(context.isStreamCaching(), "a plain context's default, which hookgate's camel-main setup turns off");
        for (String route : List.of("receive-toloka-events", "dead-letter")) {
            assertTrue(context.getRouteController().getRouteStatus(route).isStarted(), route + " is started");
        }
    }

    @Test
    void shouldApplyHookgatesKafkaSettingsToThePlainContextsComponent() {
        KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
        assertEquals(SharedKafka.bootstrapServers(), kafka.getBrokers(), "the override wins");
        assertEquals("all", kafka.getRequestRequiredAcks());
        assertTrue(kafka.isEnableIdempotence());
        assertEquals(10000, kafka.getDeliveryTimeoutMs());
        assertEquals(5000, kafka.getMaxBlockMs());
    }

    @Test
    void shouldPublishEveryEventOfASignedBatch() {
        byte[] body = ("{\"events\":[" + APPROVED + ",\n" + CLOSED + "]}").getBytes(UTF_8);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), "toloka.assignment-approved",
                "toloka.pool-closed")) {

            HttpResponse<String> answer = post(body, SIGNER.signatureHeader(body, System.currentTimeMillis()));

            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"events\":2"), answer.body());
            String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();

            ConsumerRecord<String, byte[]> approved = only(reader.awaitRecords("toloka.assignment-approved", 1, WAIT));
            assertEquals("drop-in-1", approved.key());
            assertArrayEquals(APPROVED.getBytes(UTF_8), approved.value(), "the event's bytes as received");
            assertEquals("ASSIGNMENT_APPROVED", header(approved, "toloka-event-type"));
            assertEquals(requestId, header(approved, "hookgate-request-id"));

            ConsumerRecord<String, byte[]> closed = only(reader.awaitRecords("toloka.pool-closed", 1, WAIT));
            assertEquals("drop-in-pool", closed.key());
            assertArrayEquals(CLOSED.getBytes(UTF_8), closed.value(), "the event's bytes as received");
            assertEquals(requestId, header(closed, "hookgate-request-id"));
        }
    }

    @Test
    void shouldAnswer401AndDeadLetterAForgedBatch() {
        byte[] body = ("{\"events\":[" + APPROVED + "]}").getBytes(UTF_8);
        TolokaSigner forger = new TolokaSigner("1", "guess".getBytes(UTF_8));
        String signature = forger.signatureHeader(body, System.currentTimeMillis());
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER,
                "toloka.assignment-approved")) {

            HttpResponse<String> answer = post(body, signature);

            assertEquals(401, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"error\":\"signature-mismatch\""), answer.body());
            assertFalse(answer.body().contains(SECRET), "no secret in the answer");
            String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();

            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals(requestId, dead.key());
            assertArrayEquals(body, dead.value(), "the raw body exactly as received");
            assertEquals("signature-mismatch", header(dead, "hookgate-reason"));
            assertEquals("toloka", header(dead, "hookgate-source"));
            assertEquals(PATH, header(dead, "hookgate-request-path"));
            assertEquals(signature, header(dead, "toloka-signature"), "the signature header as received");
            assertTrue(reader.recordsSoFar("toloka.assignment-approved", Duration.ofMillis(300)).isEmpty(),
                    "nothing published");
        }
    }

    static HttpResponse<String> post(byte[] body, String signature) {
        return TestHttp.post(URI.create("http://localhost:" + port + PATH), body,
                "Content-Type", "application/json", "Toloka-Signature", signature);
    }
}
