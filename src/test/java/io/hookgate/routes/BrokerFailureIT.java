package io.hookgate.routes;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure test of issue 6: a steady stream of signed batches, the broker stopped in the middle and
 * started again, the sender retrying every non-2xx as Toloka would. At the end a read_committed
 * consumer sees every event exactly once: none lost (every one was eventually answered 2xx), none twice
 * (neither from the retries nor from transactions cut by the outage).
 */
class BrokerFailureIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET = "failure-test-secret";
    static final TolokaSigner SIGNER = new TolokaSigner("1", SECRET.getBytes(UTF_8));
    static final String TOPIC = "toloka.assignment-approved";
    static final int BATCHES = 300;
    static final int EVENTS_PER_BATCH = 5;

    @TempDir
    Path dataDir;

    @Test
    void shouldHaveEveryEventExactlyOnceAfterTheBrokerFailsAndTheSenderRetries() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir);
        int port = broker.port();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> uuids = new ArrayList<>();
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), TOPIC);
             HookgateInstance hookgate = HookgateInstance.start(broker.bootstrapServers(), Map.of(
                "hookgate.skyvern.enabled", "false",
                "hookgate.toloka.secrets.1", SECRET,
                "camel.component.kafka.max-block-ms", "1000",
                "camel.component.kafka.request-timeout-ms", "1000",
                "camel.component.kafka.delivery-timeout-ms", "2000",
                "hookgate.http.request-timeout-ms", "5000"))) {
            List<byte[]> batches = new ArrayList<>();
            for (int b = 0; b < BATCHES; b++) {
                List<String> batch = new ArrayList<>();
                for (int e = 0; e < EVENTS_PER_BATCH; e++) {
                    batch.add(UUID.randomUUID().toString());
                }
                uuids.addAll(batch);
                batches.add(batch(batch));
            }
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (byte[] body : batches) {
                    while (true) { // like Toloka: resend until a 2xx, freshly signed
                        HttpResponse<String> answer = hookgate.post(PATH, body, "Content-Type", "application/json",
                                "Toloka-Signature", SIGNER.signatureHeader(body, System.currentTimeMillis()));
                        if (answer.statusCode() / 100 == 2) {
                            accepted.incrementAndGet();
                            break;
                        }
                        refused.incrementAndGet();
                        pause(); // the sender's back-off, not a synchronization
                    }
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= BATCHES / 3);
            broker.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> refused.get() >= 3);
            broker = EmbeddedKafkaBroker.start(port, dataDir);
            sender.get(120, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> records =
                    reader.awaitRecords(TOPIC, uuids.size(), Duration.ofSeconds(60));
            records = reader.recordsSoFar(TOPIC, Duration.ofSeconds(2));
            Map<String, Long> copies = records.stream().collect(
                    Collectors.groupingBy(r -> TopicReader.header(r, "toloka-event-uuid"), HashMap::new,
                            Collectors.counting()));
            System.out.printf("failure test: %d batches (%d events) sent, %d answered 2xx, %d non-2xx answers "
                    + "retried; %d records on %s, %d distinct events%n", BATCHES, uuids.size(), accepted.get(),
                    refused.get(), records.size(), TOPIC, copies.size());
            assertTrue(refused.get() > 0, "the outage was felt by the sender");
            assertEquals(BATCHES, accepted.get());
            assertEquals(uuids.size(), copies.size(), "every event sent is there");
            assertEquals(uuids.size(), records.size(), "and none twice: " + copies.entrySet().stream()
                    .filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(5).toList());
        } finally {
            broker.close();
        }
    }

    private static byte[] batch(List<String> uuids) {
        return ("{\"events\":[" + uuids.stream().map(uuid -> "{\"uuid\":\"" + uuid + "\",\"project_id\":\"p\","
                + "\"pool_id\":\"pool-failure\",\"assignment_id\":\"a-" + uuid + "\",\"type\":\"ASSIGNMENT_APPROVED\"}")
                .collect(Collectors.joining(",")) + "]}").getBytes(UTF_8);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
