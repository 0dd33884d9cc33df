package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.intake.FanOutWorker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HookgateMetricsTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void shouldCountAcknowledgedRecordsByTopicAndTimeThePublish() {
        context.getRegistry().bind("meters", registry);
        HookgateMetrics metrics = new HookgateMetrics(context);
        Exchange exchange = new DefaultExchange(context);
        HookgateMetrics.markPublishStarted(exchange);
        exchange.getMessage().setHeader(KafkaConstants.KAFKA_RECORD_META,
                List.of(acknowledged("toloka.pool-closed"), acknowledged("toloka.pool-closed"), acknowledged("t.x")));

        metrics.published(exchange, "toloka");

        assertEquals(2.0, registry.get("hookgate.events.published").tag("topic", "toloka.pool-closed").counter().count());
        assertEquals(1.0, registry.get("hookgate.events.published").tag("topic", "t.x").counter().count());
        assertEquals(1, registry.get("hookgate.kafka.publish.duration").tag("source", "toloka").timer().count());
    }

    @Test
    void shouldCapTheNumberOfTopicLabels() {
        context.getRegistry().bind("meters", registry);
        HookgateMetrics metrics = new HookgateMetrics(context);
        Exchange exchange = new DefaultExchange(context);
        List<RecordMetadata> records = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            records.add(acknowledged("toloka.type-" + i));
        }
        exchange.getMessage().setHeader(KafkaConstants.KAFKA_RECORD_META, records);

        metrics.published(exchange, "toloka");

        assertEquals(201, registry.find("hookgate.events.published").counters().size(), "200 topics and 'other'");
        assertEquals(50.0, registry.get("hookgate.events.published").tag("topic", "other").counter().count());
    }

    @Test
    void shouldCountAnswersAndDeadLettersWithBoundedLabelsOnly() {
        context.getRegistry().bind("meters", registry);
        HookgateMetrics metrics = new HookgateMetrics(context);
        Exchange exchange = new DefaultExchange(context);
        HookgateMetrics.markRequestStarted(exchange);

        metrics.answered(exchange, "skyvern", "rejected");
        metrics.deadLettered("skyvern", "signature-mismatch");

        assertEquals(1.0, registry.get("hookgate.requests").tags("source", "skyvern", "outcome", "rejected")
                .counter().count());
        assertEquals(1, registry.get("hookgate.request.duration").tags("source", "skyvern", "outcome", "rejected")
                .timer().count());
        assertEquals(1.0, registry.get("hookgate.dead.letters").tags("source", "skyvern", "reason", "signature-mismatch")
                .counter().count());
    }

    @Test
    void shouldGaugeEachRoutesRequestsInFlight() {
        context.getRegistry().bind("meters", registry);
        HookgateMetrics metrics = new HookgateMetrics(context);
        InflightRepository inflight = context.getInflightRepository();
        inflight.addRoute("receive-toloka-events"); // as Camel does for each route it adds
        inflight.addRoute("receive-skyvern-runs");
        metrics.gaugeInFlight(inflight, List.of("receive-toloka-events", "receive-skyvern-runs"));
        Exchange first = new DefaultExchange(context);
        Exchange second = new DefaultExchange(context);

        inflight.add(first, "receive-toloka-events");
        inflight.add(second, "receive-toloka-events");
        inflight.remove(first, "receive-toloka-events");

        assertEquals(1.0, inFlight("receive-toloka-events"));
        assertEquals(0.0, inFlight("receive-skyvern-runs"));
        inflight.remove(second, "receive-toloka-events");
        assertEquals(0.0, inFlight("receive-toloka-events"));
    }

    private double inFlight(String routeId) {
        return registry.get("hookgate.requests.in.flight").tag("route", routeId).gauge().value();
    }

    @Test
    void shouldDescribeEveryMeter() {
        context.getRegistry().bind("meters", registry);
        HookgateMetrics metrics = new HookgateMetrics(context);
        Exchange exchange = new DefaultExchange(context);
        HookgateMetrics.markRequestStarted(exchange);
        HookgateMetrics.markPublishStarted(exchange);

        metrics.answered(exchange, "toloka", "accepted");
        metrics.published(exchange, "toloka");
        metrics.published("toloka.pool-closed", 1);
        metrics.duplicates("toloka", 1);
        metrics.visible("toloka", Duration.ofMillis(3));
        metrics.failed(new FanOutWorker.Failing(Instant.EPOCH, 1, "a test"));
        metrics.deadLettered("toloka", "signature-mismatch");
        metrics.deadLetterDropped("toloka", "signature-mismatch");
        metrics.gaugeInFlight(context.getInflightRepository(), List.of("receive-toloka-events"));

        Set<String> described = new HashSet<>();
        for (Meter meter : registry.getMeters()) {
            String description = meter.getId().getDescription();
            assertTrue(description != null && !description.isBlank(), meter.getId().getName() + " has no description");
            described.add(meter.getId().getName());
        }
        assertEquals(HookgateMetrics.Meter.values().length, described.size(), "every meter registered: " + described);
    }

    @Test
    void shouldWorkWithoutAMeterRegistryInTheCamelRegistry() {
        HookgateMetrics metrics = new HookgateMetrics(context);
        Exchange exchange = new DefaultExchange(context);

        metrics.answered(exchange, "toloka", "accepted");

        assertNull(context.getRegistry().findSingleByType(MeterRegistry.class), "nothing bound on hookgate's behalf");
        assertNotNull(metrics);
    }

    private static RecordMetadata acknowledged(String topic) {
        return new RecordMetadata(new TopicPartition(topic, 0), 0, 0, 0L, 0, 0);
    }
}
