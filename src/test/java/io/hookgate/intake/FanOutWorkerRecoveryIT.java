package io.hookgate.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A worker that fails with nothing to publish is no longer failing once it is back in the group and has
 * read its partition to the end: it does not wait for a commit that has no reason to come. The failure
 * here: another consumer joins the group under the worker's own static member id (what a second instance
 * with the same {@code hookgate.instance-id} does), which fences the worker out of the group; the
 * failure says so.
 */
class FanOutWorkerRecoveryIT {

    @Test
    void shouldStopFailingOnceBackInTheGroupWithNothingToPublish() throws Exception {
        String group = IntakeFixtures.uniqueName("recovery");
        String instance = group;
        String intake = IntakeFixtures.intakeTopic(group);
        String runs = IntakeFixtures.runsTopic(group);
        String brokers = SharedKafka.bootstrapServers();
        List<FanOutWorker.Failing> failures = new CopyOnWriteArrayList<>();
        FanOutWorker worker = IntakeFixtures.worker(brokers, group, instance, Duration.ofMillis(100), Map.of(),
                new IntakeFixtures.NoMetrics() {
                    @Override
                    public void failed(FanOutWorker.Failing failing) {
                        failures.add(failing);
                    }
                });
        try (TopicReader reader = new TopicReader(brokers, runs);
             KafkaProducer<String, byte[]> producer = IntakeFixtures.intakeProducer(brokers)) {
            worker.start();
            producer.send(IntakeFixtures.skyvernRun(intake, "before")).get(30, TimeUnit.SECONDS);
            reader.awaitRecords(runs, 1, Duration.ofSeconds(60)); // the worker is in the group

            try (KafkaConsumer<String, byte[]> intruder = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                intruder.subscribe(List.of(intake));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    intruder.poll(Duration.ofMillis(100));
                    return !failures.isEmpty();
                });
            }
            String why = failures.get(0).lastFailure();
            assertTrue(why.contains("FencedInstanceIdException") && why.contains("an id of its own"), why);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> worker.failing().isEmpty());
            assertEquals(1, reader.recordsSoFar(runs, Duration.ofSeconds(1)).size(), "nothing published again");
        } finally {
            worker.close();
        }
    }
}
