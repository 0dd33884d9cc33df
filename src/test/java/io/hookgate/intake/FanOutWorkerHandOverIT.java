package io.hookgate.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * A fan-out transaction stays open for the commit interval, collecting intake records. When another
 * instance joins the group meanwhile, the worker commits what it collected before its partition goes:
 * the event becomes visible at the hand-over, long before the interval would have ended, and the
 * partition's next owner does not publish it again.
 */
class FanOutWorkerHandOverIT {

    /** Longer than any wait below, so that only the hand-over can have committed. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(25);

    @Test
    void shouldCommitTheOpenTransactionWhenItsPartitionGoes() throws Exception {
        String name = IntakeFixtures.uniqueName("handover");
        String intake = IntakeFixtures.intakeTopic(name);
        String runs = IntakeFixtures.runsTopic(name);
        String brokers = SharedKafka.bootstrapServers();
        FanOutWorker first = worker(brokers, name, "first");
        FanOutWorker second = worker(brokers, name, "second");
        try (TopicReader written = TopicReader.uncommitted(brokers, runs);
             TopicReader visible = new TopicReader(brokers, runs);
             KafkaProducer<String, byte[]> producer = IntakeFixtures.intakeProducer(brokers)) {
            first.start();
            producer.send(IntakeFixtures.skyvernRun(intake, "run-1")).get(30, TimeUnit.SECONDS);
            written.awaitRecords(runs, 1, Duration.ofSeconds(60)); // sent, in the first worker's open transaction
            long sent = System.nanoTime();
            assertEquals(0, visible.recordsSoFar(runs, Duration.ofSeconds(1)).size(), "not visible before a commit");

            second.start(); // the group rebalances: the first worker's partition is revoked
            visible.awaitRecords(runs, 1, Duration.ofSeconds(15));
            assertTrue(System.nanoTime() - sent < COMMIT_INTERVAL.toNanos(), "committed at the hand-over");
            assertEquals(1, written.recordsSoFar(runs, Duration.ofSeconds(3)).size(),
                    "the partition's next owner did not publish it again");
        } finally {
            second.close();
            first.close();
        }
    }

    private static FanOutWorker worker(String brokers, String name, String instance) {
        return IntakeFixtures.worker(brokers, name, name + "-" + instance, COMMIT_INTERVAL, Map.of(),
                new IntakeFixtures.NoMetrics());
    }
}
