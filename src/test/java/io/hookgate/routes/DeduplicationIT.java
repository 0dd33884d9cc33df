package io.hookgate.routes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two hookgate instances on one broker, sharing the intake topic and the fan-out group as a deployment
 * does: a redelivery is published once, whichever instance it reaches and however close together.
 */
class DeduplicationIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET = "dedup-test-secret";
    static final String API_KEY = "dedup-test-skyvern-key";
    static final TolokaSigner SIGNER = new TolokaSigner("1", SECRET.getBytes(UTF_8));
    static final SkyvernSigner SKYVERN = new SkyvernSigner(API_KEY.getBytes(UTF_8));
    static final Duration WAIT = Duration.ofSeconds(30);
    /** After the last expected record, how long nothing more may arrive. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TOPIC = "dedup-" + RUN + ".assignment-approved";
    static final String RUNS_TOPIC = "dedup-" + RUN + ".runs";

    static HookgateInstance first;
    static HookgateInstance second;

    @BeforeAll
    static void start() {
        Map<String, String> shared = Map.of(
                "hookgate.toloka.secrets.1", SECRET,
                "hookgate.skyvern.api-keys", API_KEY,
                "hookgate.toloka.topic-template", "dedup-" + RUN + ".{type}",
                "hookgate.skyvern.runs-topic", RUNS_TOPIC,
                "hookgate.intake.topic", "dedup-" + RUN + ".intake",
                "hookgate.intake.partitions", "3",
                "hookgate.intake.group-id", "dedup-" + RUN + "-fan-out");
        first = HookgateInstance.start(SharedKafka.bootstrapServers(), shared);
        second = HookgateInstance.start(SharedKafka.bootstrapServers(), shared);
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void shouldPublishOnceWhenTheSameBatchReachesTwoInstancesAtTheSameMoment() throws Exception {
        List<String> uuids = List.of(uuid(), uuid(), uuid());
        byte[] body = batch("pool-race", uuids);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), TOPIC)) {

            // each delivery signed on its own, as a retry may be: same events, another ts
            List<HttpResponse<String>> answers = atTheSameMoment(
                    () -> post(first, body, SIGNER.signatureHeader(body, System.currentTimeMillis())),
                    () -> post(second, body, SIGNER.signatureHeader(body, System.currentTimeMillis() - 1)));

            answers.forEach(answer -> assertEquals(200, answer.statusCode(), answer.body()));
            reader.awaitRecords(TOPIC, 3, WAIT);
            assertEquals(uuids, uuidsOf(reader.recordsSoFar(TOPIC, SETTLE)), "each event exactly once, in order");
        }
    }

    @Test
    void shouldPublishOnlyTheNewEventsOfARetriedBatchOnTheOtherInstance() {
        String old1 = uuid();
        String old2 = uuid();
        String fresh = uuid();
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), TOPIC)) {
            byte[] original = batch("pool-retry", List.of(old1, old2));
            assertEquals(200, post(first, original, SIGNER.signatureHeader(original, System.currentTimeMillis())).statusCode());
            reader.awaitRecords(TOPIC, 2, WAIT);

            byte[] resent = batch("pool-retry", List.of(old1, old2, fresh));
            HttpResponse<String> answer = post(second, resent, SIGNER.signatureHeader(resent, System.currentTimeMillis()));

            assertEquals(200, answer.statusCode(), "a duplicate is still accepted: " + answer.body());
            reader.awaitRecords(TOPIC, 3, WAIT);
            assertEquals(List.of(old1, old2, fresh), uuidsOf(reader.recordsSoFar(TOPIC, SETTLE)));
        }
    }

    @Test
    void shouldPublishASkyvernRunDeliveredTwiceOnce() throws Exception {
        byte[] body = ("{\"run_id\":\"tsk_" + RUN + uuid().substring(0, 6) + "\",\"run_type\":\"task_v1\","
                + "\"status\":\"completed\"}").getBytes(UTF_8);
        String signature = SKYVERN.signature(body);
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), RUNS_TOPIC)) {

            List<HttpResponse<String>> answers = atTheSameMoment(
                    () -> first.post("/webhooks/skyvern", body, "Content-Type", "application/json",
                            "x-skyvern-signature", signature),
                    () -> second.post("/webhooks/skyvern", body, "Content-Type", "application/json",
                            "x-skyvern-signature", signature));

            answers.forEach(answer -> assertEquals(200, answer.statusCode(), answer.body()));
            reader.awaitRecords(RUNS_TOPIC, 1, WAIT);
            assertEquals(1, reader.recordsSoFar(RUNS_TOPIC, SETTLE).size(), "Skyvern's retry is byte-identical");
        }
    }

    private static HttpResponse<String> post(HookgateInstance hookgate, byte[] body, String signature) {
        return hookgate.post(PATH, body, "Content-Type", "application/json", "Toloka-Signature", signature);
    }

    /** Runs both requests on their own threads, released together. */
    @SafeVarargs
    private static List<HttpResponse<String>> atTheSameMoment(Supplier<HttpResponse<String>>... requests)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> futures = java.util.Arrays.stream(requests)
                .map(request -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return request.get();
                }, runnable -> new Thread(runnable).start()))
                .toList();
        go.countDown();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static byte[] batch(String pool, List<String> uuids) {
        return ("{\"events\":[" + uuids.stream().map(uuid -> "{\"event_time\":\"2026-12-02T10:00:00\",\"project_id\":"
                + "\"project-1\",\"pool_id\":\"" + pool + "\",\"uuid\":\"" + uuid + "\",\"assignment_id\":\"a-" + uuid
                + "\",\"type\":\"ASSIGNMENT_APPROVED\"}").collect(Collectors.joining(",")) + "]}").getBytes(UTF_8);
    }

    private static List<String> uuidsOf(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(record -> TopicReader.header(record, "toloka-event-uuid")).toList();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
