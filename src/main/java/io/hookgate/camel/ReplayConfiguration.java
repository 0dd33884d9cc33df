package io.hookgate.camel;

import io.hookgate.Hookgate;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.main.Main;

/**
 * hookgate's configuration as the dead-letter replay needs it, read exactly as hookgate reads it
 * ({@link Hookgate#createConfiguredMain()}: the properties files, JVM system properties, environment
 * variables): a camel-main with no routes, no HTTP server and no fan-out, only so that the settings and
 * the Kafka component's client settings ({@code camel.component.kafka.*}, security included) resolve.
 */
public final class ReplayConfiguration implements AutoCloseable {

    /** The key of the brokers; the replay needs them set, it never starts an embedded broker. */
    public static final String BROKERS = "camel.component.kafka.brokers";

    /** Binds nothing: in place of {@link HookgateBeans}, which would start the fan-out. */
    public static final class NoBeans implements CamelConfiguration {
        @Override
        public void configure(CamelContext context) {
            // the replay builds what it needs itself
        }
    }

    private final Main main;
    private final Settings settings;
    private final KafkaConfiguration kafka;
    private final Recheck recheck;

    private ReplayConfiguration(Main main) {
        this.main = main;
        CamelContext context = main.getCamelContext();
        this.settings = new Settings(context);
        this.kafka = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
        Clock clock = Clock.systemUTC(); // the verifiers' clock: unused, the replay ignores the timestamp window
        this.recheck = new Recheck(Verifiers.toloka(settings, clock), Verifiers.tolokaEnabled(settings),
                Verifiers.skyvern(settings, clock), Verifiers.skyvernEnabled(settings), HookgateBeans.fanOut(settings),
                settings.string("hookgate.skyvern.poll-path", "/skyvern/totp"));
    }

    /**
     * Reads the configuration.
     *
     * @param overrides properties that override every other source (tests)
     * @throws IllegalStateException when the configuration is unusable (the message names the key)
     */
    public static ReplayConfiguration load(Map<String, String> overrides) {
        Main main = Hookgate.createConfiguredMain();
        // only the configuration: nothing that listens, publishes or consumes
        main.addOverrideProperty("camel.main.configuration-classes", NoBeans.class.getName());
        main.addOverrideProperty("camel.main.routes-collector-enabled", "false");
        main.addOverrideProperty("camel.main.name", "hookgate-replay");
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("camel.metrics.enabled", "false");
        main.addOverrideProperty("camel.health.producers-enabled", "false");
        overrides.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not read hookgate's configuration: " + e.getMessage(), e);
        }
        try {
            String brokers = main.getCamelContext().getPropertiesComponent().resolveProperty(BROKERS)
                    .filter(b -> !b.isBlank()).orElseThrow(() -> new IllegalStateException(BROKERS + " is not set: "
                            + "the replay reads the dead-letter topic of the cluster hookgate uses, set it as hookgate has it"));
            ReplayConfiguration config = new ReplayConfiguration(main);
            if (config.kafka.getBrokers() == null) {
                // seen with only the environment variable: the component is not bound from it here, use it as resolved
                config.kafka.setBrokers(brokers.trim());
            }
            return config;
        } catch (RuntimeException e) {
            main.stop();
            throw e;
        }
    }

    public Recheck recheck() {
        return recheck;
    }

    public String deadLetterTopic() {
        return HookgateBeans.deadLetterTopic(settings);
    }

    public String intakeTopic() {
        return HookgateBeans.intakeTopic(settings);
    }

    /** The Kafka producer settings the routes use (acks, idempotence, security, brokers). */
    public Map<String, Object> producerConfig() {
        return FanOutService.withBrokers(kafka.createProducerProperties(), kafka);
    }

    /** The Kafka consumer settings the routes use (security, brokers). */
    public Map<String, Object> consumerConfig() {
        return FanOutService.withBrokers(kafka.createConsumerProperties(), kafka);
    }

    @Override
    public void close() {
        main.stop();
        main.getCamelContext().stop();
    }
}
