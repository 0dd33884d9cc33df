package io.hookgate.standalone;

import static io.hookgate.testing.TestHttp.freePort;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.camel.HookgateBeans;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateProcess;
import io.hookgate.testing.TestHttp;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hookgate as a user runs it: {@code java -jar target/hookgate.jar} in its own JVM, from a directory
 * that holds nothing of hookgate's, with only a properties file named by {@code HOOKGATE_CONFIG}:
 * the runtime classpath only (no test jars, which once hid a missing component), the defaults and
 * routes from the jar, dev mode with no brokers configured, so it starts its embedded broker. A
 * signed Toloka sample must be accepted.
 */
class StandaloneIT {

    @TempDir
    Path dataDir;

    private HookgateProcess hookgate;

    @AfterEach
    void stop() {
        if (hookgate != null) {
            hookgate.close(); // SIGTERM: Camel shuts down, then the embedded broker
        }
    }

    @Test
    void shouldStartWithTheEmbeddedBrokerInDevModeAndAcceptASignedBatch() throws Exception {
        hookgate = HookgateProcess.start(dataDir, Map.of(
                "hookgate.dev-mode", "true",
                "hookgate.embedded-kafka.port", Integer.toString(freePort()),
                "hookgate.embedded-kafka.data-dir", dataDir.resolve("kafka").toString()));

        byte[] body = ("{\"events\":[{\"uuid\":\"standalone-1\",\"pool_id\":\"pool-1\",\"assignment_id\":\"a-1\","
                + "\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
        String signature = new TolokaSigner("1", HookgateBeans.DEV_TOLOKA_SECRET.getBytes(UTF_8))
                .signatureHeader(body, System.currentTimeMillis());
        HttpResponse<String> answer;
        try {
            answer = TestHttp.post(hookgate.uri("/webhooks/toloka"), body,
                    "Content-Type", "application/json", "Toloka-Signature", signature);
        } catch (UncheckedIOException e) {
            throw new AssertionError("no answer; hookgate's output:\n" + hookgate.output(), e);
        }

        assertEquals(200, answer.statusCode(), answer.body());
        String output = hookgate.output();
        assertTrue(output.contains("started an embedded single-node Kafka broker"), "says so in its log");
        assertTrue(output.contains("DEV MODE"), "says it runs with the public dev secrets");
        // its request line, written straight to its standard output
        String requestId = answer.headers().firstValue("hookgate-request-id").orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                hookgate.output().contains("request " + requestId + " source=toloka outcome=accepted"));
    }
}
