package io.hookgate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import io.hookgate.broker.EmbeddedKafkaBroker;

/**
 * One embedded Kafka broker per test JVM: started on first use on a free port in a temporary directory, closed
 * (and the directory deleted) by a JVM shutdown hook. Tests must not close it; a test that needs to stop and
 * restart a broker starts its own {@link EmbeddedKafkaBroker}.
 */
public final class SharedKafka {

    private static EmbeddedKafkaBroker broker;
    private static RuntimeException startFailure;

    private SharedKafka() {
    }

    /** The shared broker, started on the first call. A failed start is rethrown to every later caller. */
    public static synchronized EmbeddedKafkaBroker broker() {
        if (startFailure != null) {
            throw new IllegalStateException("The shared embedded Kafka broker failed to start earlier: "
                    + startFailure.getMessage(), startFailure);
        }
        if (broker == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("hookgate-kafka-");
            } catch (IOException e) {
                startFailure = new IllegalStateException("Cannot create a temporary directory for Kafka: " + e, e);
                throw startFailure;
            }
            try {
                broker = EmbeddedKafkaBroker.start(0, dir);
            } catch (RuntimeException e) {
                startFailure = e;
                deleteRecursively(dir);
                throw e;
            }
            EmbeddedKafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteRecursively(dir);
            }, "shared-kafka-shutdown"));
        }
        return broker;
    }

    /** {@code localhost:<port>} of the shared broker. */
    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // Best effort: it is a temporary directory.
        }
    }
}
