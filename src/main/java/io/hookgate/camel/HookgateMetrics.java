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
 * <p>The meters and what they count are {@link Meter}; Prometheus shows a counter with {@code _total}
 * ({@code hookgate_requests_total{source,outcome}}), a timer as a histogram in seconds
 * ({@code hookgate_request_duration_seconds_bucket}) and the description as its HELP line.
 */
public final class HookgateMetrics implements FanOutWorker.Listener {

    /** Exchange property: {@link System#nanoTime()} when the request's records were handed to Kafka. */
    static final String PUBLISH_STARTED = "hookgate.publishStarted";
    /** Exchange property: {@link System#nanoTime()} when the request started to be read. */
    static final String REQUEST_STARTED = "hookgate.requestStarted";

    /** Each meter's name and description (Prometheus' HELP line), in one place. */
    enum Meter {
        REQUESTS("hookgate.requests", "Requests answered, by source and outcome"),
        REQUEST_DURATION("hookgate.request.duration",
                "From the first byte of a request to its answer, by source and outcome"),
        DEAD_LETTERS("hookgate.dead.letters", "Dead-letter records written, by source and reason"),
        DEAD_LETTERS_DROPPED("hookgate.dead.letters.dropped",
                "Dead-letter records not written because the dead-letter limit was reached; their senders were"
                        + " answered all the same"),
        EVENTS_PUBLISHED("hookgate.events.published",
                "Records made visible, by topic: committed by the fan-out, or acknowledged for TOTP polls' records"
                        + " (at most 200 topics, then 'other')"),
        DUPLICATES("hookgate.duplicates", "Redelivered events and runs recognized and not published again, by source"),
        KAFKA_PUBLISH_DURATION("hookgate.kafka.publish.duration",
                "From handing a request's record to Kafka to its acknowledgement"),
        FAN_OUT_DELAY("hookgate.fan.out.delay",
                "From the first byte of a request to its events being visible to read_committed consumers"),
        FAN_OUT_FAILURES("hookgate.fan.out.failures",
                "Times the fan-out failed, aborted what it had not committed and started over from the committed"
                        + " offsets (nothing lost; the health check says since when)"),
        REQUESTS_IN_FLIGHT("hookgate.requests.in.flight",
                "Requests being read or processed and not yet answered, by receiving route");

        final String metricName;
        final String description;

        Meter(String metricName, String description) {
            this.metricName = metricName;
            this.description = description;
        }
    }

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
            Gauge.builder(Meter.REQUESTS_IN_FLIGHT.metricName, inflight, repository -> repository.size(routeId))
                    .description(Meter.REQUESTS_IN_FLIGHT.description)
                    .tag("route", routeId)
                    .register(registry());
        }
    }

    /** A request answered: count it and time it from {@link #markRequestStarted}. */
    void answered(Exchange exchange, String source, String outcome) {
        counter(Meter.REQUESTS, "source", source, "outcome", outcome).increment();
        Long started = exchange.getProperty(REQUEST_STARTED, Long.class);
        if (started != null) {
            timer(Meter.REQUEST_DURATION, "source", source, "outcome", outcome)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** A request's records acknowledged: time the publish and count the records by topic. */
    void published(Exchange exchange, String source) {
        Long started = exchange.getProperty(PUBLISH_STARTED, Long.class);
        if (started != null) {
            timer(Meter.KAFKA_PUBLISH_DURATION, "source", source)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
        Object metadata = exchange.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META);
        if (metadata instanceof List<?> records) {
            for (Object record : records) {
                if (record instanceof RecordMetadata acknowledged) {
                    counter(Meter.EVENTS_PUBLISHED, "topic", boundedTopic(acknowledged.topic())).increment();
                }
            }
        }
    }

    /** {@code records} records on {@code topic} became visible. */
    @Override
    public void published(String topic, int records) {
        counter(Meter.EVENTS_PUBLISHED, "topic", boundedTopic(topic)).increment(records);
    }

    /** {@code records} redelivered records of {@code source} were recognized and not published again. */
    @Override
    public void duplicates(String source, int records) {
        counter(Meter.DUPLICATES, "source", source).increment(records);
    }

    /** A request's events became visible {@code delay} after it started to be read. */
    @Override
    public void visible(String source, Duration delay) {
        timer(Meter.FAN_OUT_DELAY, "source", source).record(delay);
    }

    /** Shows the fan-out's failure counter before the first failure, so that a rate over it sees that one too. */
    void countFanOutFailuresFromZero() {
        counter(Meter.FAN_OUT_FAILURES);
    }

    /** The fan-out failed and starts over. */
    @Override
    public void failed(FanOutWorker.Failing failing) {
        counter(Meter.FAN_OUT_FAILURES).increment();
    }

    void deadLettered(String source, String reason) {
        counter(Meter.DEAD_LETTERS, "source", source, "reason", reason).increment();
    }

    void deadLetterDropped(String source, String reason) {
        counter(Meter.DEAD_LETTERS_DROPPED, "source", source, "reason", reason).increment();
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

    private Counter counter(Meter meter, String... tags) {
        return counters.computeIfAbsent(meter.metricName + String.join("\u0000", tags),
                k -> Counter.builder(meter.metricName).description(meter.description).tags(tags).register(registry()));
    }

    private Timer timer(Meter meter, String... tags) {
        return timers.computeIfAbsent(meter.metricName + String.join("\u0000", tags),
                k -> Timer.builder(meter.metricName).description(meter.description).tags(tags).publishPercentileHistogram()
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
