package io.hookgate.standalone;

import static io.hookgate.testing.TestHttp.freePort;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.camel.HookgateBeans;
import io.hookgate.signature.TolokaSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private Process hookgate;

    @AfterEach
    void stop() throws InterruptedException {
        if (hookgate != null) {
            hookgate.destroy(); // SIGTERM: Camel shuts down, then the embedded broker
            if (!hookgate.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                hookgate.destroyForcibly();
            }
        }
    }

    @Test
    void shouldStartWithTheEmbeddedBrokerInDevModeAndAcceptASignedBatch() throws Exception {
        Path log = dataDir.resolve("hookgate.log");
        Path workDir = Files.createDirectories(dataDir.resolve("anywhere"));
        int http = freePort();
        int management = freePort();
        Path config = Files.writeString(dataDir.resolve("hookgate.properties"), String.join("\n",
                "hookgate.dev-mode=true",
                "camel.server.port=" + http,
                "camel.management.port=" + management,
                "hookgate.embedded-kafka.port=" + freePort(),
                "hookgate.embedded-kafka.data-dir=" + dataDir.resolve("kafka")));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/hookgate.jar").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HOOKGATE_") || name.startsWith("CAMEL_"));
        builder.environment().put("HOOKGATE_CONFIG", config.toString());
        hookgate = builder.start();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!hookgate.isAlive()) {
                throw new AssertionError("hookgate exited:\n" + Files.readString(log));
            }
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + management
                        + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });

        byte[] body = ("{\"events\":[{\"uuid\":\"standalone-1\",\"pool_id\":\"pool-1\",\"assignment_id\":\"a-1\","
                + "\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
        String signature = new TolokaSigner("1", HookgateBeans.DEV_TOLOKA_SECRET.getBytes(UTF_8))
                .signatureHeader(body, System.currentTimeMillis());
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + http
                        + "/webhooks/toloka"))
                .header("Content-Type", "application/json").header("Toloka-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, answer.statusCode(), answer.body());
        String output = Files.readString(log);
        assertTrue(output.contains("started an embedded single-node Kafka broker"), "says so in its log");
        assertTrue(output.contains("DEV MODE"), "says it runs with the public dev secrets");
    }
}
