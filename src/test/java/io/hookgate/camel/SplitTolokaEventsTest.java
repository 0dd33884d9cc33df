package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hookgate.intake.FanOut;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TopicTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SplitTolokaEventsTest {

    private static final String REQUEST_ID = "6f1c2a7e-0d3b-4c55-9a8e-1b2c3d4e5f60";
    private static final Instant RECEIVED_AT = Instant.parse("2031-05-04T03:02:01.123Z");

    private static final String APPROVED = "{\"type\":\"ASSIGNMENT_APPROVED\", \"uuid\":\"uuid-1\",\"pool_id\":\"пул-1\","
            + "\"project_id\":\"project-1\",\"assignment_id\":\"assignment-1\",\"confidence\":0.12345678901234567890123}";
    private static final String CLOSED = "{\"type\":\"POOL_CLOSED\",\"uuid\":\"uuid-2\",\"pool_id\":\"pool-2\","
            + "\"close_reason\":\"MANUAL\"}";
    private static final String TEST_EVENT = "{\"type\":\"TEST_EVENT\",\"uuid\":\"uuid-3\"}";

    private final CamelContext context = new DefaultCamelContext();
    private final SplitTolokaEvents split = new SplitTolokaEvents(new FanOut(new TopicTemplate("toloka.{type}"), "skyvern.runs"));

    /** Started, as in a running route: message headers are then case-insensitive. */
    @BeforeEach
    void startContext() {
        context.start();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void shouldTurnEachEventIntoARecordOnItsTopic() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + ",\n  " + CLOSED + "]}");

        split.process(exchange);

        List<Message> records = records(exchange);
        assertEquals(2, records.size());
        assertEquals("toloka.assignment-approved", records.get(0).getHeader(KafkaConstants.OVERRIDE_TOPIC));
        assertEquals("toloka.pool-closed", records.get(1).getHeader(KafkaConstants.OVERRIDE_TOPIC));
    }

    @Test
    void shouldKeyByAssignmentElsePool() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + "," + CLOSED + "]}");

        split.process(exchange);

        List<Message> records = records(exchange);
        assertEquals("assignment-1", records.get(0).getHeader(KafkaConstants.KEY));
        assertEquals("pool-2", records.get(1).getHeader(KafkaConstants.KEY));
    }

    @Test
    void shouldCarryEachEventsBytesAsReceived() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + ",\n  " + CLOSED + "]}");

        split.process(exchange);

        List<Message> records = records(exchange);
        assertArrayEquals(utf8(APPROVED), assertInstanceOf(byte[].class, records.get(0).getBody()));
        assertArrayEquals(utf8(CLOSED), assertInstanceOf(byte[].class, records.get(1).getBody()));
    }

    @Test
    void shouldLabelEachRecordWithUtf8Headers() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + "," + CLOSED + "]}");

        split.process(exchange);

        Message approved = records(exchange).get(0);
        assertEquals(Set.of(KafkaConstants.OVERRIDE_TOPIC, KafkaConstants.KEY, "hookgate-source", "toloka-event-type",
                "toloka-event-uuid", "toloka-pool-id", "toloka-project-id", "hookgate-request-id",
                "hookgate-received-at"), approved.getHeaders().keySet());
        assertHeader("toloka", approved, "hookgate-source");
        assertHeader("ASSIGNMENT_APPROVED", approved, "toloka-event-type");
        assertHeader("uuid-1", approved, "toloka-event-uuid");
        assertHeader("пул-1", approved, "toloka-pool-id");
        assertHeader("project-1", approved, "toloka-project-id");
        assertHeader(REQUEST_ID, approved, "hookgate-request-id");
        assertHeader("2031-05-04T03:02:01.123Z", approved, "hookgate-received-at");
    }

    @Test
    void shouldLeaveOutTheHeadersOfMissingFields() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + CLOSED + "," + TEST_EVENT + "]}");

        split.process(exchange);

        Message closed = records(exchange).get(0);
        assertHeader("pool-2", closed, "toloka-pool-id");
        assertNull(closed.getHeader("toloka-project-id"));
        Message test = records(exchange).get(1);
        assertNull(test.getHeader("toloka-pool-id"));
        assertNull(test.getHeader("toloka-project-id"));
        assertNull(test.getHeader(KafkaConstants.KEY));
        assertEquals(Set.of(KafkaConstants.OVERRIDE_TOPIC, "hookgate-source", "toloka-event-type", "toloka-event-uuid",
                "hookgate-request-id", "hookgate-received-at"), test.getHeaders().keySet());
    }

    @Test
    void shouldCountTheEvents() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + "," + CLOSED + "]}");

        split.process(exchange);

        assertEquals(2, exchange.getProperty(SplitTolokaEvents.EVENT_COUNT, Integer.class));
    }

    @Test
    void shouldTurnAnEmptyBatchIntoNoRecords() throws Exception {
        Exchange exchange = exchange("{\"events\":[]}");

        split.process(exchange);

        assertEquals(List.of(), records(exchange));
        assertEquals(0, exchange.getProperty(SplitTolokaEvents.EVENT_COUNT, Integer.class));
    }

    @Test
    void shouldUseTheConfiguredTopicTemplate() throws Exception {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + "]}");

        new SplitTolokaEvents(new FanOut(new TopicTemplate("prod.toloka.{type}.v1"), "skyvern.runs")).process(exchange);

        assertEquals("prod.toloka.assignment-approved.v1", records(exchange).get(0).getHeader(KafkaConstants.OVERRIDE_TOPIC));
    }

    @Test
    void shouldRefuseAMalformedBody() {
        Exchange exchange = exchange("{\"events\":[" + APPROVED + ",{\"type\":\"a/b\"}]}");

        assertThrows(MalformedBatchException.class, () -> split.process(exchange));
        assertNull(exchange.getProperty(SplitTolokaEvents.EVENT_COUNT));
    }

    private Exchange exchange(String body) {
        byte[] raw = utf8(body);
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest(REQUEST_ID, "toloka", RECEIVED_AT,
                "/webhooks/toloka", "application/json", Map.of("Toloka-Signature", "{v=1, ts=1, sign=00}"), raw,
                raw.length));
        exchange.getMessage().setHeader("User-Agent", "Toloka");
        exchange.getMessage().setHeader("Toloka-Signature", "{v=1, ts=1, sign=00}");
        exchange.getMessage().setBody(raw);
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private static List<Message> records(Exchange exchange) {
        return (List<Message>) assertInstanceOf(List.class, exchange.getMessage().getBody());
    }

    private static void assertHeader(String expected, Message record, String name) {
        assertArrayEquals(utf8(expected), assertInstanceOf(byte[].class, record.getHeader(name)), name);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
