package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.broker.EmbeddedKafkaBroker;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away: readiness goes down within 10 s, the sender gets 503 with Retry-After within
 * the configured bound, never a 2xx and never a hung request; when the broker is back, readiness comes
 * back and the same request is accepted and published.
 */
class TolokaBrokerOutageIT {

    static final String PATH = "/webhooks/toloka";
    static final String READY = "/observe/health/ready";
    static final TolokaSigner SIGNER = new TolokaSigner("1", "outage-test-secret".getBytes(UTF_8));
    /** max-block-ms + delivery-timeout-ms below: the longest a request may wait for Kafka. */
    static final Duration BOUND = Duration.ofMillis(2_000 + 3_000);

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswer503WhileTheBrokerIsDownAndAcceptTheRetryOnceItIsBack() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir);
        int port = broker.port();
        try (HookgateInstance hookgate = HookgateInstance.start(broker.bootstrapServers(), Map.of(
                "hookgate.skyvern.enabled", "false",
                "hookgate.toloka.secrets.1", "outage-test-secret",
                "hookgate.http.retry-after-seconds", "7",
                "camel.component.kafka.max-block-ms", "2000",
                "camel.component.kafka.request-timeout-ms", "1000",
                "camel.component.kafka.delivery-timeout-ms", "3000",
                "hookgate.http.request-timeout-ms", "8000"))) {
            assertEquals(200, post(hookgate, batch("before-outage")).statusCode(), "warm-up");
            assertEquals(200, hookgate.management(READY).statusCode(), "ready with the broker up");

            broker.close();
            long lost = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hookgate.management(READY).statusCode() == 503);
            System.out.printf("readiness went down %d ms after the broker%n", (System.nanoTime() - lost) / 1_000_000);
            byte[] body = batch("during-outage");
            String signature = SIGNER.signatureHeader(body, System.currentTimeMillis());
            long start = System.nanoTime();
            HttpResponse<String> refused = hookgate.post(PATH, body,
                    "Content-Type", "application/json", "Toloka-Signature", signature);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("7", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(refused.body().contains("kafka-unavailable"), refused.body());
            assertTrue(took.compareTo(BOUND.plusSeconds(2)) < 0, "answered in " + took + ", bound " + BOUND);

            // ten events of a type never seen: still one intake record, refused within the same bounds
            // (and the request timeout caps the whole request in any case)
            byte[] unseen = tenEventsOfANewType();
            start = System.nanoTime();
            HttpResponse<String> capped = hookgate.post(PATH, unseen, "Content-Type", "application/json",
                    "Toloka-Signature", SIGNER.signatureHeader(unseen, System.currentTimeMillis()));
            took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(503, capped.statusCode(), capped.body());
            assertTrue(took.compareTo(Duration.ofSeconds(8 + 2)) < 0, "capped at the request timeout: " + took);

            broker = EmbeddedKafkaBroker.start(port, dataDir);
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), "toloka.assignment-approved")) {
                // like Toloka: the same request again until it is accepted
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        hookgate.post(PATH, body, "Content-Type", "application/json", "Toloka-Signature", signature)
                                .statusCode() == 200);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> hookgate.management(READY).statusCode() == 200);
                boolean published = reader.awaitRecords("toloka.assignment-approved", 1, Duration.ofSeconds(20))
                        .stream().map(r -> header(r, "toloka-event-uuid")).anyMatch("during-outage"::equals);
                assertTrue(published, "the retried event is in Kafka");
            }
        } finally {
            broker.close();
        }
    }

    static HttpResponse<String> post(HookgateInstance hookgate, byte[] body) {
        return hookgate.post(PATH, body, "Content-Type", "application/json",
                "Toloka-Signature", SIGNER.signatureHeader(body, System.currentTimeMillis()));
    }

    static byte[] tenEventsOfANewType() {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            events.append(i == 0 ? "" : ",").append("{\"uuid\":\"u-").append(i)
                    .append("\",\"pool_id\":\"pool\",\"type\":\"NEVER_SEEN_BEFORE\"}");
        }
        return ("{\"events\":[" + events + "]}").getBytes(UTF_8);
    }

    static byte[] batch(String uuid) {
        return ("{\"events\":[{\"uuid\":\"" + uuid + "\",\"project_id\":\"p\",\"pool_id\":\"pool\","
                + "\"assignment_id\":\"a-" + uuid + "\",\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
    }

}
