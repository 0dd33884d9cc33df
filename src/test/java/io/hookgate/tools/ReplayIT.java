package io.hookgate.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The operator's runbook, end to end over real HTTP and Kafka: hookgate runs with a wrong Toloka secret
 * and a wrong Skyvern key, so correctly signed requests are refused and dead-lettered; it is restarted
 * with the right ones; the replay republishes what is valid now (whatever its timestamp), reports what
 * still fails and why, and a second replay publishes nothing again.
 */
class ReplayIT {

    static final String RIGHT_SECRET = "replay-right-secret";
    static final String RIGHT_KEY = "replay-right-skyvern-key";
    static final TolokaSigner TOLOKA = new TolokaSigner("1", RIGHT_SECRET.getBytes(UTF_8));
    static final TolokaSigner FORGER = new TolokaSigner("1", "nobody-has-this-secret".getBytes(UTF_8));
    static final SkyvernSigner SKYVERN = new SkyvernSigner(RIGHT_KEY.getBytes(UTF_8));
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration SETTLE = Duration.ofSeconds(2);

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String APPROVED = "replay-" + RUN + ".assignment-approved";
    static final String SUBMITTED = "replay-" + RUN + ".assignment-submitted";
    static final String RUNS = "replay-" + RUN + ".runs";
    static final String DEAD_LETTER = "replay-" + RUN + ".dead-letter";
    static final String INTAKE = "replay-" + RUN + ".intake";

    /** The settings both instances and the replay share; the secrets are added per instance. */
    static Map<String, String> topics() {
        Map<String, String> settings = new HashMap<>();
        settings.put("hookgate.toloka.topic-template", "replay-" + RUN + ".{type}");
        settings.put("hookgate.skyvern.runs-topic", RUNS);
        settings.put("hookgate.intake.topic", INTAKE);
        settings.put("hookgate.intake.partitions", "3");
        settings.put("hookgate.intake.group-id", "replay-" + RUN + "-fan-out");
        settings.put("hookgate.dead-letter.topic", DEAD_LETTER);
        settings.put("hookgate.http.max-body-bytes", "4096");
        return settings;
    }

    static Map<String, String> withKeys(String tolokaSecret, String skyvernKey) {
        Map<String, String> settings = topics();
        settings.put("hookgate.toloka.secrets.1", tolokaSecret);
        settings.put("hookgate.skyvern.api-keys", skyvernKey);
        return settings;
    }

    @Test
    void shouldRepublishWhatTheRightKeysAcceptOnceAndReportWhatStillFails() throws Exception {
        Instant testStart = Instant.now();
        long now = System.currentTimeMillis();
        byte[] batchA = batch("pool-a", "ASSIGNMENT_APPROVED", uuid(), uuid());
        byte[] batchB = batch("pool-b", "ASSIGNMENT_SUBMITTED", uuid());
        byte[] oldBatch = batch("pool-old", "ASSIGNMENT_APPROVED", uuid());
        byte[] forged = batch("pool-forged", "ASSIGNMENT_APPROVED", uuid());
        byte[] malformed = "{\"events\":{\"type\":\"ASSIGNMENT_APPROVED\"}}".getBytes(UTF_8);
        byte[] tooLarge = batch("pool-large", "ASSIGNMENT_APPROVED", "x".repeat(5000));
        byte[] run = ("{\"run_id\":\"tsk_" + RUN + "\",\"run_type\":\"task_v1\",\"status\":\"completed\"}").getBytes(UTF_8);

        Map<String, String> expectedRequests = new LinkedHashMap<>(); // request id -> outcome in the report
        Instant until; // between the fourth dead letter and the fifth
        try (TopicReader deadLetters = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER)) {
            try (HookgateInstance wrong = HookgateInstance.start(SharedKafka.bootstrapServers(),
                    withKeys("the-old-wrong-secret", "the-old-wrong-key"))) {
                expectedRequests.put(requestId(assertAnswer(401, toloka(wrong, batchA, TOLOKA.signatureHeader(batchA, now)))),
                        "republished");
                expectedRequests.put(requestId(assertAnswer(401, toloka(wrong, batchB, TOLOKA.signatureHeader(batchB, now)))),
                        "republished");
                // signed a day ago: far outside the 300 s window, which a replay never applies
                expectedRequests.put(requestId(assertAnswer(401, toloka(wrong, oldBatch,
                        TOLOKA.signatureHeader(oldBatch, now - Duration.ofDays(1).toMillis())))), "republished");
                expectedRequests.put(requestId(assertAnswer(401, wrong.post("/webhooks/skyvern", run,
                        "Content-Type", "application/json", "x-skyvern-signature", SKYVERN.signature(run)))),
                        "republished");
                // the dead letters of the four above are written before their answers, the next ones after this
                until = Instant.ofEpochMilli(System.currentTimeMillis() + 1);
                while (System.currentTimeMillis() < until.toEpochMilli()) {
                    Thread.onSpinWait(); // at most a millisecond, so that the next record's timestamp is at or after it
                }
                expectedRequests.put(requestId(assertAnswer(401, toloka(wrong, forged, FORGER.signatureHeader(forged, now)))),
                        "still-failing signature-mismatch");
                expectedRequests.put(requestId(assertAnswer(401, toloka(wrong, malformed,
                        TOLOKA.signatureHeader(malformed, now)))), "still-failing malformed-body");
                expectedRequests.put(requestId(assertAnswer(413, toloka(wrong, tooLarge,
                        TOLOKA.signatureHeader(tooLarge, now)))), "still-failing payload-too-large");
                deadLetters.awaitRecords(DEAD_LETTER, expectedRequests.size(), WAIT);
            }
        }

        try (HookgateInstance right = HookgateInstance.start(SharedKafka.bootstrapServers(),
                withKeys(RIGHT_SECRET, RIGHT_KEY));
                TopicReader events = new TopicReader(SharedKafka.bootstrapServers(), APPROVED, SUBMITTED, RUNS)) {
            // Toloka retried batch B on its own meanwhile: already published, the replay must not publish it again
            assertAnswer(200, toloka(right, batchB, TOLOKA.signatureHeader(batchB, System.currentTimeMillis())));
            events.awaitRecords(SUBMITTED, 1, WAIT);

            try (TopicReader intake = new TopicReader(SharedKafka.bootstrapServers(), INTAKE)) {
                String dryRun = replay(0, "--since", testStart.toString(), "--dry-run");
                assertTrue(dryRun.contains("summary: to republish 4, still-failing 3, skipped 0"), dryRun);
                String firstFour = replay(0, "--since", testStart.toString(), "--until", until.toString(), "--dry-run");
                assertTrue(firstFour.contains("summary: to republish 4, still-failing 0, skipped 0"), firstFour);
                assertEquals(0, intake.recordsSoFar(INTAKE, SETTLE).size(), "a dry run writes nothing");
            }

            String report = replay(0, "--since", testStart.toString());

            for (Map.Entry<String, String> expected : expectedRequests.entrySet()) {
                assertTrue(Pattern.compile("(?m)^\\d+:\\d+ " + Pattern.quote(expected.getKey()) + " \\w+ "
                        + Pattern.quote(expected.getValue()) + "$").matcher(report).find(),
                        expected.getKey() + " should be reported " + expected.getValue() + ":\n" + report);
            }
            assertTrue(report.contains("summary: republished 4, still-failing 3, skipped 0"), report);
            assertFalse(report.contains(RIGHT_SECRET) || report.contains(RUN + "\""), "no secret, no body");

            events.awaitRecords(APPROVED, 3, WAIT); // batch A's two events and the old batch's one
            events.awaitRecords(RUNS, 1, WAIT);
            awaitDuplicates(right, "toloka", 1); // batch B's event, published before the replay
            assertEquals(3, events.recordsSoFar(APPROVED, SETTLE).size());
            assertEquals(1, events.recordsSoFar(SUBMITTED, Duration.ZERO).size(), "batch B once: it was published");
            assertEquals(1, events.recordsSoFar(RUNS, Duration.ZERO).size());
            ConsumerRecord<String, byte[]> published = events.recordsSoFar(RUNS, Duration.ZERO).get(0);
            assertEquals(new String(run, UTF_8), TopicReader.valueAsString(published), "the body untouched");

            // the second replay, by offset this time: the same four again, and the fan-out drops them all
            String again = replay(0, "--from-offset", "0");
            assertTrue(again.contains("summary: republished 4, still-failing 3, skipped 0"), again);
            awaitDuplicates(right, "toloka", 1 + 4); // A's two events, B's, the old batch's
            awaitDuplicates(right, "skyvern", 1);
            assertEquals(3, events.recordsSoFar(APPROVED, SETTLE).size(), "nothing published twice");
            assertEquals(1, events.recordsSoFar(SUBMITTED, Duration.ZERO).size(), "nothing published twice");
            assertEquals(1, events.recordsSoFar(RUNS, Duration.ZERO).size(), "nothing published twice");
        }
    }

    @Test
    void shouldRefuseBadArgumentsAndAConfigurationHookgateWouldRefuse() {
        assertEquals(Replay.USAGE, Replay.run(new String[] {"--since", "yesterday"}, overrides(), quiet(), quiet()));
        assertEquals(Replay.USAGE, Replay.run(new String[] {}, overrides(), quiet(), quiet()));
        assertEquals(Replay.USAGE, Replay.run(new String[] {"--from-offset", "0", "--since", Instant.EPOCH.toString()},
                overrides(), quiet(), quiet()));
        Map<String, String> noSecret = overrides();
        noSecret.remove("hookgate.toloka.secrets.1");
        assertEquals(Replay.USAGE, Replay.run(new String[] {"--from-offset", "0"}, noSecret, quiet(), quiet()),
                "the configuration hookgate would refuse");
    }

    /** Runs the replay as the command line does, with the right keys; returns its report. */
    static String replay(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Replay.run(args, overrides(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        String report = out.toString(UTF_8);
        System.out.print(report); // for the test log
        assertEquals(expectedExit, exit, report + err.toString(UTF_8));
        return report;
    }

    static Map<String, String> overrides() {
        Map<String, String> overrides = withKeys(RIGHT_SECRET, RIGHT_KEY);
        overrides.put("camel.component.kafka.brokers", SharedKafka.bootstrapServers());
        return overrides;
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, UTF_8);
    }

    static HttpResponse<String> toloka(HookgateInstance hookgate, byte[] body, String signature) {
        return hookgate.post("/webhooks/toloka", body, "Content-Type", "application/json", "Toloka-Signature", signature);
    }

    static HttpResponse<String> assertAnswer(int status, HttpResponse<String> answer) {
        assertEquals(status, answer.statusCode(), answer.body());
        return answer;
    }

    static String requestId(HttpResponse<String> answer) {
        return answer.headers().firstValue("hookgate-request-id").orElseThrow();
    }

    /** Waits until hookgate_duplicates_total{source} reaches {@code count}: the fan-out has processed them. */
    static void awaitDuplicates(HookgateInstance hookgate, String source, double count) throws InterruptedException {
        Pattern line = Pattern.compile("(?m)^hookgate_duplicates_total\\{source=\"" + source + "\"} (\\S+)$");
        long deadline = System.nanoTime() + WAIT.toNanos();
        double seen = 0;
        while (System.nanoTime() < deadline) {
            Matcher m = line.matcher(hookgate.management("/observe/metrics").body());
            seen = m.find() ? Double.parseDouble(m.group(1)) : 0;
            if (seen >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("hookgate_duplicates_total{source=\"" + source + "\"} is " + seen + ", not " + count);
    }

    static byte[] batch(String pool, String type, String... uuids) {
        return ("{\"events\":[" + List.of(uuids).stream().map(uuid -> "{\"event_time\":\"2026-12-02T10:00:00\","
                + "\"project_id\":\"project-1\",\"pool_id\":\"" + pool + "\",\"uuid\":\"" + uuid + "\","
                + "\"assignment_id\":\"a-" + uuid + "\",\"type\":\"" + type + "\"}").collect(Collectors.joining(","))
                + "]}").getBytes(UTF_8);
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }
}
