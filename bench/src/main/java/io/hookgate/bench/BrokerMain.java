package io.hookgate.bench;

import io.hookgate.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One single-node KRaft broker in a JVM of its own (hookgate's {@link EmbeddedKafkaBroker}), shared by
 * hookgate and the baseline. It creates the topics the load generator's events go to beforehand, so
 * that neither server pays for topic auto-creation during a measurement, then prints {@code READY}
 * and runs until it is killed (a shutdown hook closes the broker).
 *
 * <p>Usage: {@code BrokerMain <port> <data-dir> [partitions]}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));

        List<NewTopic> topics = new ArrayList<>();
        for (String type : Events.TYPES) {
            topics.add(new NewTopic(Events.TOPICS.topicFor(type), partitions, (short) 1));
            topics.add(new NewTopic(Baseline.TOPICS.topicFor(type), partitions, (short) 1));
        }
        topics.add(new NewTopic(Baseline.INTAKE_TOPIC, 1, (short) 1)); // hookgate creates its own, 1 partition
        topics.add(new NewTopic("hookgate.dead-letter", 1, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            topics.removeIf(t -> existing.contains(t.name()));
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        System.out.println("READY " + broker.bootstrapServers() + " topics with " + partitions + " partitions");
        System.out.flush();
        stopped.await();
    }
}
