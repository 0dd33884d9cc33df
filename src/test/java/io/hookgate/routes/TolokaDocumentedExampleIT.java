package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.header;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The request documented on Toloka's "event authentication" page (secret {@code 12345}, ts from the
 * year 2000, so with the timestamp window off) is accepted as Toloka would send it: the compact
 * 273-byte body, the header exactly as documented.
 */
class TolokaDocumentedExampleIT {

    static final String BODY = "{\"events\":[{\"event_time\":\"2000-01-01T12:00:00\",\"project_id\":\"project-1\","
            + "\"pool_id\":\"pool-1\",\"uuid\":\"00000000-0000-0000-0000-000000000000\",\"task_suite_id\":\"task-suite-1\","
            + "\"assignment_id\":\"assignment-1\",\"webhook_subscription_id\":\"subscription-1\","
            + "\"type\":\"ASSIGNMENT_APPROVED\"}]}";
    static final String HEADER =
            "{v=1, ts=946728000000, sign=609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb}";

    @Test
    void shouldAcceptTheDocumentedRequestWithTheWindowOff() {
        assertEquals(273, BODY.getBytes(UTF_8).length);
        try (HookgateInstance hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                     "hookgate.skyvern.enabled", "false",
                     "hookgate.toloka.secrets.1", "12345",
                     "hookgate.toloka.tolerance-seconds", "0"));
             TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), "toloka.assignment-approved")) {

            HttpResponse<String> answer = hookgate.post("/webhooks/toloka", BODY.getBytes(UTF_8),
                    "Content-Type", "application/json", "Toloka-Signature", HEADER);

            assertEquals(200, answer.statusCode(), answer.body());
            List<ConsumerRecord<String, byte[]>> records =
                    reader.awaitRecords("toloka.assignment-approved", 1, Duration.ofSeconds(20));
            assertEquals(1, records.size());
            assertEquals("assignment-1", records.get(0).key());
            assertEquals("00000000-0000-0000-0000-000000000000", header(records.get(0), "toloka-event-uuid"));
            String event = BODY.substring("{\"events\":[".length(), BODY.length() - 2);
            assertArrayEquals(event.getBytes(UTF_8), records.get(0).value());
        }
    }
}
