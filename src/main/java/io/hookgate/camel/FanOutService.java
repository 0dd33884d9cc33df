package io.hookgate.camel;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.FanOutWorker;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Runs this instance's {@link FanOutWorker} for as long as the Camel context runs, with the Kafka
 * settings of Camel's {@code kafka} component ({@code camel.component.kafka.*}: brokers, security,
 * timeouts), so that the fan-out talks to the cluster exactly as the routes do. Started with the
 * context; stopped after the routes (in-flight requests are answered first): it then publishes what
 * the intake partitions it holds still have, for {@link #DRAIN_TIMEOUT} at most, and ends with no
 * transaction open (see {@link FanOutWorker#stop}). Reports at {@code /observe/health} whether it is failing
 * ({@link FanOutHealthCheck}).
 */
final class FanOutService extends ServiceSupport {

    /** How long a stop may take to publish what was accepted; normally one poll, well under a second. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final CamelContext context;
    private final FanOutWorker.Settings settings;
    private final FanOut fanOut;
    private final HookgateMetrics metrics;
    private final Clock clock;
    private volatile FanOutWorker worker;

    FanOutService(CamelContext context, FanOutWorker.Settings settings, FanOut fanOut, HookgateMetrics metrics,
            Clock clock) {
        this.context = Objects.requireNonNull(context, "context");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void doStart() {
        KafkaConfiguration kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
        worker = new FanOutWorker(withBrokers(kafka.createProducerProperties(), kafka),
                withBrokers(kafka.createConsumerProperties(), kafka), settings, fanOut, metrics, clock);
        worker.start();
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null && checks.getCheck(FanOutHealthCheck.ID).isEmpty()) {
            checks.register(new FanOutHealthCheck(this::failing));
        }
    }

    /** Whether the fan-out is failing; not while it is stopped. */
    Optional<FanOutWorker.Failing> failing() {
        FanOutWorker current = worker;
        return current == null ? Optional.empty() : current.failing();
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (worker != null) {
            worker.stop(DRAIN_TIMEOUT);
            worker = null;
        }
    }

    static Map<String, Object> withBrokers(Properties properties, KafkaConfiguration kafka) {
        Map<String, Object> config = new HashMap<>();
        properties.forEach((key, value) -> config.put(key.toString(), value));
        if (kafka.getBrokers() != null) {
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokers());
        }
        return config;
    }
}
