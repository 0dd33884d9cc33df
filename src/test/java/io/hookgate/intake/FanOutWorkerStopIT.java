package io.hookgate.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import io.hookgate.toloka.TopicTemplate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Stopping the fan-out (what a graceful shutdown does after the HTTP routes have stopped) publishes
 * every intake record its partitions hold at that moment, and commits past them, before it returns:
 * with a backlog of 200 records read 10 at a time, none is left for the next owner.
 */
class FanOutWorkerStopIT {

    static final int BACKLOG = 200;

    @Test
    void shouldPublishTheWholeBacklogBeforeStopping() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String intake = "stop-" + run + ".intake";
        String runs = "stop-" + run + ".runs";
        String group = "stop-" + run;
        String brokers = SharedKafka.bootstrapServers();
        Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10); // a backlog takes many transactions
        FanOutWorker worker = new FanOutWorker(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), consumer,
                new FanOutWorker.Settings(intake, 1, group, "stop-" + run, Duration.ofSeconds(60),
                        Duration.ofMillis(100), "stop-" + run + ".dead-letter", Duration.ofHours(1), 10_000),
                new FanOut(new TopicTemplate("stop-" + run + ".{type}"), runs), new IntakeFixtures.NoMetrics(),
                Clock.systemUTC());
        try (TopicReader reader = new TopicReader(brokers, runs);
             KafkaProducer<String, byte[]> producer = IntakeFixtures.intakeProducer(brokers)) {
            worker.start();
            send(producer, intake, "first");
            reader.awaitRecords(runs, 1, Duration.ofSeconds(60)); // the worker holds the partition

            for (int i = 0; i < BACKLOG; i++) {
                // all at once: the worker cannot keep up
                producer.send(IntakeFixtures.skyvernRun(intake, "backlog-" + i));
            }
            producer.flush();
            worker.stop(Duration.ofSeconds(30));

            assertEquals(BACKLOG + 1, reader.recordsSoFar(runs, Duration.ofSeconds(3)).size(),
                    "every intake record published before the stop returned, and only once");
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            try (Admin client = Admin.create(admin)) {
                assertEquals(BACKLOG + 1, client.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).get(new TopicPartition(intake, 0)).offset(), "committed past all");
            }
        } finally {
            worker.close();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String runId) throws Exception {
        producer.send(IntakeFixtures.skyvernRun(topic, runId)).get(30, TimeUnit.SECONDS);
    }
}
