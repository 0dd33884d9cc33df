package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * A fan-out that cannot publish is reported, while requests are still accepted, and it gets through by
 * itself once the cause is gone. The cause here: the event topic refuses every event record (its largest
 * message is set below their size), so each fan-out transaction aborts.
 */
class FanOutFailureIT {

    static final String HEALTH = "/observe/health";
    static final String SECRET = "fan-out-failure-secret";
    static final TolokaSigner SIGNER = new TolokaSigner("1", SECRET.getBytes(UTF_8));
    /**
     * Largest batch the event topic takes at first, in bytes: under any event record (with its seven
     * headers), over the transaction markers (about 80), which the broker must still be able to write
     * there to abort the failed transactions.
     */
    static final String REFUSING = "200";
    static final Pattern FAILURES = Pattern.compile("(?m)^hookgate_fan_out_failures_total (\\S+)$");

    @Test
    void shouldReportAFailingFanOutAndPublishOnceItGetsThrough() throws Exception {
        String run = "fan-out-failure-" + UUID.randomUUID().toString().substring(0, 8);
        String events = run + ".assignment-approved";
        String brokers = SharedKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(events, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, REFUSING)))).all().get(30, TimeUnit.SECONDS);
            try (HookgateInstance hookgate = HookgateInstance.start(brokers, Map.of(
                    "hookgate.skyvern.enabled", "false",
                    "hookgate.toloka.secrets.1", SECRET,
                    "hookgate.toloka.topic-template", run + ".{type}",
                    "hookgate.intake.topic", run + ".intake",
                    "hookgate.intake.group-id", run));
                 TopicReader reader = new TopicReader(brokers, events)) {
                assertEquals(0.0, failures(hookgate), "counted from zero");
                assertEquals(200, hookgate.management(HEALTH).statusCode(), "healthy at the start");

                byte[] body = ("{\"events\":[{\"uuid\":\"held-back\",\"pool_id\":\"pool\","
                        + "\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
                HttpResponse<String> answer = hookgate.post("/webhooks/toloka", body, "Content-Type",
                        "application/json", "Toloka-Signature",
                        SIGNER.signatureHeader(body, System.currentTimeMillis()));
                assertEquals(200, answer.statusCode(), "accepted, the intake topic has it: " + answer.body());

                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> hookgate.management(HEALTH).statusCode() == 503);
                String health = hookgate.management(HEALTH + "?data=true").body();
                System.out.println("health while failing: " + health);
                assertTrue(health.contains("hookgate-fan-out") && health.contains("RecordTooLarge"), health);
                assertEquals(200, hookgate.management(HEALTH + "/ready").statusCode(), "ready: accepting is safe");
                assertEquals(200, hookgate.management(HEALTH + "/live").statusCode(), "live: a restart mends nothing");
                assertTrue(failures(hookgate) >= 1, "counted");
                assertEquals(0, reader.recordsSoFar(events, Duration.ofSeconds(1)).size(), "nothing visible");

                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, events), List.of(
                        new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"),
                                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
                assertEquals("held-back", header(reader.awaitRecords(events, 1, Duration.ofSeconds(60)).get(0),
                        "toloka-event-uuid"));
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> hookgate.management(HEALTH).statusCode() == 200);
                assertEquals(1, reader.recordsSoFar(events, Duration.ofSeconds(2)).size(), "published once");
            }
        }
    }

    private static double failures(HookgateInstance hookgate) {
        String metrics = hookgate.management("/observe/metrics").body();
        Matcher value = FAILURES.matcher(metrics);
        assertTrue(value.find(), "hookgate_fan_out_failures_total is shown");
        return Double.parseDouble(value.group(1));
    }
}
