package io.hookgate.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
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
        String group = IntakeFixtures.uniqueName("stop");
        String intake = IntakeFixtures.intakeTopic(group);
        String runs = IntakeFixtures.runsTopic(group);
        String brokers = SharedKafka.bootstrapServers();
        FanOutWorker worker = IntakeFixtures.worker(brokers, group, group, Duration.ofMillis(100),
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10), // a backlog takes many transactions
                new IntakeFixtures.NoMetrics());
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
