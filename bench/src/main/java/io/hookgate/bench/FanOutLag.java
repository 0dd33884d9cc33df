package io.hookgate.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a server's fan-out is behind what its HTTP path accepted: the intake records past the offsets its
 * consumer group has committed (each commit is a fan-out transaction's). Both servers answer 200 once the
 * intake record is in Kafka and publish the events afterwards, so a closed-loop point can accept requests
 * faster than the server publishes them, and the backlog is then worked off during the next point, which
 * may be the other server's. {@link Suite} waits for the backlog after every point and counts the wait.
 */
final class FanOutLag implements AutoCloseable {

    private final Admin admin;
    private final String topic;
    private final String group;
    /** The intake topic's partitions, described once (at the first call, when the servers have created it). */
    private Set<TopicPartition> partitions;

    /** {@code intake} is {@code <topic>:<consumer group>}. */
    FanOutLag(String bootstrapServers, String intake) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
        this.topic = intake.substring(0, intake.indexOf(':'));
        this.group = intake.substring(intake.indexOf(':') + 1);
    }

    /** Intake records not yet fanned out (committed) by the group. */
    long records() throws Exception {
        if (partitions == null) {
            partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toSet());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long behind = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed.get(partition);
            behind += ends.get(partition).offset() - (done == null ? 0 : done.offset());
        }
        return behind;
    }

    /**
     * Waits until the fan-out has caught up, polling every 50 ms, for at most {@code timeout}.
     *
     * @return the seconds it took (0 when it was not behind)
     * @throws IllegalStateException when it is still behind after {@code timeout}
     */
    double awaitCaughtUp(Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long behind;
        while ((behind = records()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the fan-out of " + topic + " is still " + behind
                        + " intake records behind after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
