package io.hookgate.standalone;

import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateProcess;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TestHttp;
import io.hookgate.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a standalone hookgate (its own JVM, {@code java -jar}, against a real broker): new requests
 * are refused with {@code 503} at once, the request in flight (a body still arriving) is answered
 * {@code 200} and its event is published for {@code read_committed} consumers, with no transaction left
 * open and every intake record fanned out, and the process exits {@code 0} by itself within
 * {@code camel.main.shutdown-timeout}. A request that outlasts the timeout does not hold the process:
 * it exits within the timeout plus hookgate's margin.
 */
class GracefulShutdownIT {

    static final String SECRET = "graceful-shutdown-test-secret";
    static final TolokaSigner SIGNER = new TolokaSigner("1", SECRET.getBytes(UTF_8));
    /** hookgate's own margin (ShutdownOnSignal.MARGIN) plus room for a loaded machine. */
    static final Duration MARGIN = Duration.ofSeconds(10 + 10);

    @TempDir
    Path dir;

    private HookgateProcess hookgate;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void stop() {
        if (hookgate != null) {
            hookgate.close();
        }
    }

    @Test
    void shouldAnswerAndPublishTheRequestInFlightRefuseNewOnesAndExitZero() throws Exception {
        int timeoutSeconds = 15;
        hookgate = start(timeoutSeconds, 10);
        String topic = "graceful-" + run + ".assignment-approved";
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), topic)) {
            assertEquals(200, post(batch("warm-up")).statusCode(), "a first batch is accepted");
            reader.awaitRecords(topic, 1, Duration.ofSeconds(60)); // the fan-out holds the intake partition

            byte[] body = batch("in-flight");
            try (SlowRequest inFlight = new SlowRequest(hookgate.port(), body)) {
                inFlight.send(0, body.length / 2);
                awaitInFlight(1);

                hookgate.process().destroy(); // SIGTERM

                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> refused(batch("after-sigterm-" + UUID.randomUUID())));
                assertTrue(hookgate.process().isAlive(), "still there for the request in flight");
                assertEquals(503, hookgate.management("/observe/health/ready").statusCode(),
                        "readiness down while stopping, so that a load balancer sends no more");

                inFlight.send(body.length / 2, body.length);
                assertEquals(200, inFlight.status(), "the request in flight is answered");

                assertTrue(hookgate.process().waitFor(timeoutSeconds, TimeUnit.SECONDS),
                        "exits by itself within the shutdown timeout:\n" + hookgate.output());
                assertEquals(0, hookgate.process().exitValue(), hookgate.output());
            }

            List<ConsumerRecord<String, byte[]>> events = reader.awaitRecords(topic, 2, Duration.ofSeconds(20));
            assertTrue(events.stream().anyMatch(e -> "in-flight".equals(header(e, "toloka-event-uuid"))),
                    "what was answered 200 is published: " + events);
            assertNothingLeftBehind(topic);
            String output = hookgate.output();
            assertTrue(output.contains("fan-out: stopped, every intake record"), output);
            assertTrue(output.contains("hookgate stopped"), output);
        }
    }

    @Test
    void shouldExitWithinTheBoundWhenARequestOutlastsIt() throws Exception {
        int timeoutSeconds = 3;
        hookgate = start(timeoutSeconds, 600); // the body may take longer than the shutdown may
        byte[] body = batch("never-finished");
        try (SlowRequest inFlight = new SlowRequest(hookgate.port(), body)) {
            inFlight.send(0, body.length / 2);
            awaitInFlight(1);

            long signalled = System.nanoTime();
            hookgate.process().destroy();

            Duration bound = Duration.ofSeconds(timeoutSeconds).plus(MARGIN);
            assertTrue(hookgate.process().waitFor(bound.toMillis(), TimeUnit.MILLISECONDS),
                    "exits within the timeout and the margin:\n" + hookgate.output());
            long seconds = Duration.ofNanos(System.nanoTime() - signalled).toSeconds();
            assertTrue(seconds >= timeoutSeconds - 1, "the request had its time: " + seconds + " s");
            assertEquals(0, hookgate.process().exitValue(), hookgate.output());
            assertNotEquals(200, inFlight.status(), "cut off, never acknowledged");
        }
    }

    private HookgateProcess start(int shutdownTimeoutSeconds, int bodyReadTimeoutSeconds) throws IOException {
        return HookgateProcess.start(dir, Map.of(
                "camel.component.kafka.brokers", SharedKafka.bootstrapServers(),
                "camel.main.shutdown-timeout", Integer.toString(shutdownTimeoutSeconds),
                "hookgate.toloka.secrets.1", SECRET,
                // no Kafka consumer route: nothing else delays the stop, the fan-out's drain is all
                "hookgate.skyvern.enabled", "false",
                "hookgate.http.body-read-timeout-seconds", Integer.toString(bodyReadTimeoutSeconds),
                "hookgate.http.request-timeout-ms", Integer.toString(bodyReadTimeoutSeconds * 2000),
                // a transaction left open would hold read_committed consumers back this long
                "hookgate.intake.transaction-timeout-ms", "120000",
                "hookgate.toloka.topic-template", "graceful-" + run + ".{type}",
                "hookgate.intake.topic", "graceful-" + run + ".intake",
                "hookgate.intake.group-id", "graceful-" + run));
    }

    /** No transaction open on the event topic, and the fan-out committed past every intake record. */
    private void assertNothingLeftBehind(String topic) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            String intake = "graceful-" + run + ".intake";
            Set<TopicPartition> partitions = admin.describeTopics(List.of(topic, intake)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toSet());
            Map<TopicPartition, Long> stable = ends(admin, partitions, IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> written = ends(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
            assertEquals(written, stable, "no open transaction: the last stable offsets are the ends");
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("graceful-" + run)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            written.forEach((partition, end) -> {
                if (partition.topic().equals(intake)) {
                    assertEquals(end, committed.get(partition).offset(), "every intake record fanned out");
                }
            });
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Set<TopicPartition> partitions,
            IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        ends.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    /** Waits until the Toloka route has {@code count} requests in flight (hookgate_requests_in_flight). */
    private void awaitInFlight(int count) {
        String gauge = "hookgate_requests_in_flight{";
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                hookgate.management("/observe/metrics").body().lines()
                        .filter(l -> l.startsWith(gauge) && l.contains("route=\"receive-toloka-events\""))
                        .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) == count));
    }

    /** Whether a new connection is refused, or its request answered 503. */
    private boolean refused(byte[] body) {
        try {
            return post(body).statusCode() == 503;
        } catch (UncheckedIOException connectionRefused) {
            return true;
        }
    }

    private java.net.http.HttpResponse<String> post(byte[] body) {
        return TestHttp.post(hookgate.uri("/webhooks/toloka"), body, "Content-Type", "application/json",
                "Toloka-Signature", SIGNER.signatureHeader(body, System.currentTimeMillis()));
    }

    private static byte[] batch(String uuid) {
        return ("{\"events\":[{\"uuid\":\"" + uuid + "\",\"pool_id\":\"pool-1\",\"assignment_id\":\"a-1\","
                + "\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
    }

    /** A signed POST whose body is sent in parts, over a raw socket, as a slow sender would. */
    private static final class SlowRequest implements AutoCloseable {

        private final Socket socket;
        private final OutputStream out;
        private final byte[] body;

        SlowRequest(int port, byte[] body) throws IOException {
            this.socket = new Socket("localhost", port);
            this.socket.setSoTimeout(60_000);
            this.out = socket.getOutputStream();
            this.body = body;
            String head = "POST /webhooks/toloka HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Toloka-Signature: " + SIGNER.signatureHeader(body, System.currentTimeMillis()) + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(UTF_8));
            out.flush();
        }

        void send(int from, int to) throws IOException {
            out.write(body, from, to - from);
            out.flush();
        }

        /** The answer's status code, or -1 when the connection ended without one. */
        int status() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                    line.write(b);
                }
            } catch (SocketException | SocketTimeoutException reset) {
                return -1;
            }
            String[] parts = line.toString(UTF_8).split(" ");
            return parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
