package io.hookgate.camel;

import io.hookgate.intake.FanOutWorker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.spi.InflightRepository;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * hookgate's own metrics, in the Micrometer registry Camel exposes (camel-micrometer-prometheus
 * serves it at {@code /observe/metrics}); without one, a private registry keeps the code paths the
 * same. Labels are bounded: sources, outcomes and reasons are fixed sets, and topics are capped.
 * Never a secret, a code, an identifier or a uuid in a label.
 *
 * <ul>
 *   <li>{@code hookgate_requests_total{source,outcome}} and
 *       {@code hookgate_request_duration_seconds{source,outcome}} (histogram): every answered request;</li>
 *   <li>{@code hookgate_dead_letters_total{source,reason}}: dead-letter records written;</li>
 *   <li>{@code hookgate_dead_letters_dropped_total{source,reason}}: dead-letter records not written,
 *       over the dead-letter limit (their senders were answered all the same);</li>
 *   <li>{@code hookgate_events_published_total{topic}}: records made visible (committed by the fan-out,
 *       or acknowledged for the TOTP polls' audit records);</li>
 *   <li>{@code hookgate_duplicates_total{source}}: redelivered events and runs not published again;</li>
 *   <li>{@code hookgate_kafka_publish_duration_seconds{source}} (histogram): from handing a request to
 *       Kafka (the intake topic) to its acknowledgement;</li>
 *   <li>{@code hookgate_fan_out_delay_seconds{source}} (histogram): from the first byte of a request to
 *       its events being visible to {@code read_committed} consumers;</li>
 *   <li>{@code hookgate_requests_in_flight{route}}: requests being read or processed and not yet
 *       answered, per receiving route (Camel's in-flight count, read when scraped).</li>
 * </ul>
 */
public final class HookgateMetrics implements FanOutWorker.Listener {

    /** Exchange property: {@link System#nanoTime()} when the request's records were handed to Kafka. */
    static final String PUBLISH_STARTED = "hookgate.publishStarted";
    /** Exchange property: {@link System#nanoTime()} when the request started to be read. */
    static final String REQUEST_STARTED = "hookgate.requestStarted";

    private static final int MAX_TOPICS = 200;
    private static final String OTHER_TOPIC = "other";

    private final CamelContext context;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    public HookgateMetrics(CamelContext context) {
        this.context = context;
    }

    static void markRequestStarted(Exchange exchange) {
        exchange.setProperty(REQUEST_STARTED, System.nanoTime());
    }

    static void markPublishStarted(Exchange exchange) {
        exchange.setProperty(PUBLISH_STARTED, System.nanoTime());
    }

    /** Gauges {@code hookgate_requests_in_flight{route}} for each of {@code routeIds}. */
    void gaugeInFlight(InflightRepository inflight, Collection<String> routeIds) {
        for (String routeId : routeIds) {
            Gauge.builder("hookgate.requests.in.flight", inflight, repository -> repository.size(routeId))
                    .tag("route", routeId)
                    .register(registry());
        }
    }

    /** A request answered: count it and time it from {@link #markRequestStarted}. */
    void answered(Exchange exchange, String source, String outcome) {
        counter("hookgate.requests", "source", source, "outcome", outcome).increment();
        Long started = exchange.getProperty(REQUEST_STARTED, Long.class);
        if (started != null) {
            timer("hookgate.request.duration", "source", source, "outcome", outcome)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** A request's records acknowledged: time the publish and count the records by topic. */
    void published(Exchange exchange, String source) {
        Long started = exchange.getProperty(PUBLISH_STARTED, Long.class);
        if (started != null) {
            timer("hookgate.kafka.publish.duration", "source", source)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
        Object metadata = exchange.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META);
        if (metadata instanceof List<?> records) {
            for (Object record : records) {
                if (record instanceof RecordMetadata acknowledged) {
                    counter("hookgate.events.published", "topic", boundedTopic(acknowledged.topic())).increment();
                }
            }
        }
    }

    /** {@code records} records on {@code topic} became visible. */
    @Override
    public void published(String topic, int records) {
        counter("hookgate.events.published", "topic", boundedTopic(topic)).increment(records);
    }

    /** {@code records} redelivered records of {@code source} were recognized and not published again. */
    @Override
    public void duplicates(String source, int records) {
        counter("hookgate.duplicates", "source", source).increment(records);
    }

    /** A request's events became visible {@code delay} after it started to be read. */
    @Override
    public void visible(String source, Duration delay) {
        timer("hookgate.fan.out.delay", "source", source).record(delay);
    }

    void deadLettered(String source, String reason) {
        counter("hookgate.dead.letters", "source", source, "reason", reason).increment();
    }

    void deadLetterDropped(String source, String reason) {
        counter("hookgate.dead.letters.dropped", "source", source, "reason", reason).increment();
    }

    private String boundedTopic(String topic) {
        if (topics.contains(topic)) {
            return topic;
        }
        if (topics.size() < MAX_TOPICS) {
            topics.add(topic);
            return topic;
        }
        return OTHER_TOPIC;
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join("\u0000", tags),
                k -> Counter.builder(name).tags(tags).register(registry()));
    }

    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(name + String.join("\u0000", tags),
                k -> Timer.builder(name).tags(tags).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry()));
    }

    /** Looked up at first use: the metrics service may bind its registry after hookgate's beans. */
    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            synchronized (this) {
                found = registry;
                if (found == null) {
                    found = context.getRegistry().findSingleByType(MeterRegistry.class);
                    registry = found = found != null ? found : new SimpleMeterRegistry();
                }
            }
        }
        return found;
    }
}
