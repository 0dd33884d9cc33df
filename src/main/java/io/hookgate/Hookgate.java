package io.hookgate;

import io.hookgate.broker.EmbeddedKafkaDefault;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs hookgate standalone with camel-main: {@code application.properties} from the working
 * directory (its keys can be overridden by JVM system properties and environment variables), the
 * YAML routes it names, and an embedded Kafka broker when no brokers are configured.
 */
public final class Hookgate {

    private static final Logger LOG = LoggerFactory.getLogger(Hookgate.class);

    private Hookgate() {
    }

    public static void main(String[] args) {
        EmbeddedKafkaDefault embeddedKafka = new EmbeddedKafkaDefault();
        try {
            createMain(embeddedKafka).run(args);
        } catch (Exception | Error e) {
            // without this the embedded broker's threads would keep the JVM alive after the failure
            LOG.error("hookgate did not start: {}", e.getMessage(), e);
            embeddedKafka.close();
            System.exit(1);
        }
    }

    /** The camel-main hookgate runs in; tests start it the same way, with override properties. */
    public static Main createMain() {
        return createMain(new EmbeddedKafkaDefault());
    }

    private static Main createMain(EmbeddedKafkaDefault embeddedKafka) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties");
        main.addMainListener(embeddedKafka);
        return main;
    }
}
