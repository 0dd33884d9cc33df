package io.hookgate;

import io.hookgate.broker.EmbeddedKafkaDefault;
import org.apache.camel.main.Main;

/**
 * Runs hookgate standalone with camel-main: {@code application.properties} from the working
 * directory (its keys can be overridden by JVM system properties and environment variables), the
 * YAML routes it names, and an embedded Kafka broker when no brokers are configured.
 */
public final class Hookgate {

    private Hookgate() {
    }

    public static void main(String[] args) throws Exception {
        createMain().run(args);
    }

    /** The camel-main hookgate runs in; tests start it the same way, with override properties. */
    public static Main createMain() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties");
        main.addMainListener(new EmbeddedKafkaDefault());
        return main;
    }
}
