package io.hookgate.broker;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone default: when {@code camel.component.kafka.brokers} is not set (in any source),
 * starts an {@link EmbeddedKafkaBroker} before Camel configures its Kafka component, points the
 * component at it, and stops it after Camel stops. With brokers set it starts nothing.
 *
 * <p>Settings: {@code hookgate.embedded-kafka.port} (default 9092, so any Kafka tool can read what
 * hookgate wrote) and {@code hookgate.embedded-kafka.data-dir} (default
 * {@code target/embedded-kafka}).
 */
public final class EmbeddedKafkaDefault extends MainListenerSupport {

    static final String BROKERS = "camel.component.kafka.brokers";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaDefault.class);

    private EmbeddedKafkaBroker broker;


    @Override
    public synchronized void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Optional<String> brokers = properties.resolveProperty(BROKERS).filter(b -> !b.isBlank());
        if (brokers.isPresent()) {
            LOG.info("Kafka brokers: {}", brokers.get());
            return;
        }
        int port = Integer.parseInt(properties.resolveProperty("hookgate.embedded-kafka.port").orElse("9092").trim());
        Path dataDir = Path.of(properties.resolveProperty("hookgate.embedded-kafka.data-dir")
                .orElse("target/embedded-kafka").trim());
        broker = EmbeddedKafkaBroker.start(port, dataDir);
        LOG.info("No Kafka brokers configured ({} is not set): started an embedded single-node Kafka broker at {}, "
                + "data in {}. For production, set {} (env CAMEL_COMPONENT_KAFKA_BROKERS).",
                BROKERS, broker.bootstrapServers(), broker.dataDir(), BROKERS);
        properties.addOverrideProperty(BROKERS, broker.bootstrapServers());
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        close();
    }

    /** Stops the embedded broker if this started one; also for a start that failed half-way. */
    public synchronized void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
