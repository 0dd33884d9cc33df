package io.hookgate;

import io.hookgate.broker.EmbeddedKafkaDefault;
import java.util.Optional;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs hookgate standalone with camel-main: hookgate's default settings and routes from its jar, then
 * {@code ./application.properties} and the file named by {@code HOOKGATE_CONFIG} (or
 * {@code -Dhookgate.config}), if present, each overriding the one before; every key can still be
 * overridden by a JVM system property or an environment variable. With no Kafka brokers configured, an
 * embedded broker is started.
 */
public final class Hookgate {

    /** hookgate's default settings, shipped in the jar (a copy of the project's application.properties). */
    public static final String DEFAULTS = "classpath:io/hookgate/application.properties";

    private static final Logger LOG = LoggerFactory.getLogger(Hookgate.class);

    private Hookgate() {
    }

    /**
     * Runs until SIGTERM or SIGINT, then stops gracefully (see {@link ShutdownOnSignal}) and exits
     * {@code 0}; exits {@code 1} when it does not start, or when the stop had to be cut short.
     */
    public static void main(String[] args) {
        EmbeddedKafkaDefault embeddedKafka = new EmbeddedKafkaDefault();
        Main main = createMain(embeddedKafka);
        ShutdownOnSignal.install(main);
        try {
            main.run(args);
        } catch (Exception | Error e) {
            // without this the embedded broker's threads would keep the JVM alive after the failure
            LOG.error("hookgate did not start: {}", e.getMessage(), e);
            embeddedKafka.close();
            LogManager.shutdown();
            System.exit(1);
        }
        embeddedKafka.close(); // already closed after Camel stopped, unless that step failed
        LOG.info("hookgate stopped");
        LogManager.shutdown(); // last: what is logged while the broker closes must come out
        System.exit(Math.max(0, main.getExitCode())); // 0 unless camel-main set another (camel.main.duration-*)
    }

    /** The camel-main hookgate runs in; tests start it the same way, with override properties. */
    public static Main createMain() {
        return createMain(new EmbeddedKafkaDefault());
    }

    private static Main createMain(EmbeddedKafkaDefault embeddedKafka) {
        Main main = createConfiguredMain();
        main.addMainListener(embeddedKafka);
        return main;
    }

    /**
     * A camel-main reading hookgate's configuration, layered as described above, without the embedded
     * broker default: what the dead-letter replay runs with, so that it sees exactly hookgate's settings.
     */
    public static Main createConfiguredMain() {
        Main main = new Main();
        // the first location that has a key wins: the named file, then ./application.properties, then defaults
        String locations = "file:application.properties;optional=true," + DEFAULTS;
        Optional<String> config = Optional.ofNullable(System.getProperty("hookgate.config"))
                .or(() -> Optional.ofNullable(System.getenv("HOOKGATE_CONFIG")))
                .filter(path -> !path.isBlank());
        if (config.isPresent()) {
            locations = "file:" + config.get() + "," + locations; // named explicitly: a missing file is an error
        }
        main.setPropertyPlaceholderLocations(locations);
        return main;
    }
}
