package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.MutableClock;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood of invalid requests over real HTTP against a real broker: every sender gets its 4xx, but
 * only as many dead-letter records as the limit allows reach the broker, and the rest are counted.
 * hookgate's clock stands still (the limit follows it), so the count written is the burst exactly.
 */
class DeadLetterLimitIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET = "limit-test-secret";
    /** A topic of its own, so that no other test's refusals count here. */
    static final String DEAD_LETTER = "hookgate.dead-letter.limit-it";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    static final TolokaSigner SIGNER = new TolokaSigner("1", SECRET.getBytes(UTF_8));
    static final TolokaSigner FORGER = new TolokaSigner("1", "a-guess".getBytes(UTF_8));

    static HookgateInstance hookgate;

    @BeforeAll
    static void start() {
        hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                "hookgate.skyvern.enabled", "false",
                "hookgate.toloka.secrets.1", SECRET,
                "hookgate.dead-letter.topic", DEAD_LETTER,
                "hookgate.dead-letter.max-per-second", "1",
                "hookgate.dead-letter.burst", "5"), CLOCK);
    }

    @AfterAll
    static void stop() {
        hookgate.close();
    }

    @Test
    void shouldAnswerEveryRefusalButDeadLetterOnlyUpToTheLimitAndCountTheRest() {
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER,
                "toloka.assignment-approved")) {
            Set<String> refused = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                byte[] body = batch("aaaaaaaa-0000-4000-8000-0000000000" + (10 + i));
                HttpResponse<String> answer = post(body, FORGER.signatureHeader(body, CLOCK.millis()));
                assertEquals(401, answer.statusCode(), "request " + i + ": " + answer.body());
                assertTrue(answer.body().contains("\"error\":\"signature-mismatch\""), answer.body());
                refused.add(answer.headers().firstValue("hookgate-request-id").orElseThrow());
            }

            reader.awaitRecords(DEAD_LETTER, 5, WAIT);
            List<ConsumerRecord<String, byte[]>> written = reader.recordsSoFar(DEAD_LETTER, Duration.ofSeconds(3));
            assertEquals(5, written.size(), "the burst, then nothing while the clock stands still");
            for (ConsumerRecord<String, byte[]> record : written) {
                assertEquals("signature-mismatch", header(record, "hookgate-reason"));
                assertTrue(refused.contains(header(record, "hookgate-request-id")), "one of the refused requests");
            }

            String metrics = hookgate.management("/observe/metrics").body();
            assertEquals(15.0, sample(metrics, "hookgate_dead_letters_dropped_total",
                    "reason=\"signature-mismatch\",source=\"toloka\""), metrics);
            assertEquals(5.0, sample(metrics, "hookgate_dead_letters_total",
                    "reason=\"signature-mismatch\",source=\"toloka\""), metrics);
            assertFalse(metrics.contains(SECRET), "no secret in a metric");

            byte[] valid = batch("bbbbbbbb-0000-4000-8000-000000000001");
            HttpResponse<String> accepted = post(valid, SIGNER.signatureHeader(valid, CLOCK.millis()));
            assertEquals(200, accepted.statusCode(), "the limit never touches valid requests: " + accepted.body());
            reader.awaitRecords("toloka.assignment-approved", 1, WAIT);

            CLOCK.advance(Duration.ofSeconds(1));
            byte[] body = batch("aaaaaaaa-0000-4000-8000-000000000099");
            assertEquals(401, post(body, FORGER.signatureHeader(body, CLOCK.millis())).statusCode());
            assertEquals(6, reader.awaitRecords(DEAD_LETTER, 6, WAIT).size(), "a second later, one more permit");
        }
    }

    static byte[] batch(String uuid) {
        return ("{\"events\":[{\"event_time\":\"2026-11-23T10:00:00\",\"project_id\":\"project-1\","
                + "\"pool_id\":\"pool-limit\",\"uuid\":\"" + uuid + "\",\"task_suite_id\":\"ts-1\","
                + "\"assignment_id\":\"assignment-limit\",\"webhook_subscription_id\":\"sub-1\","
                + "\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
    }

    static HttpResponse<String> post(byte[] body, String signature) {
        return hookgate.post(PATH, body, "Content-Type", "application/json", "Toloka-Signature", signature);
    }

    /** The value of one Prometheus sample, e.g. {@code name{labels} 15.0}; fails if it is not there. */
    static double sample(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), name + "{" + labels + "} not in the metrics");
        return Double.parseDouble(m.group(1));
    }
}
