package io.hookgate.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A test consumer that sees only what was written to its topics after it was created.
 *
 * <p>At construction it records the end offsets (read_committed: the last stable offsets) of the partitions its
 * topics have; a topic that does not exist yet counts as empty (it is not created: the consumer never triggers
 * auto-creation), and partitions that show up later are read from offset 0. It uses manual {@code assign} and
 * {@code seek}, no consumer group, so it commits nothing and needs no group coordinator.
 *
 * <p>The lists returned are cumulative per topic: every record seen on that topic since the snapshot, in the order
 * received (offset order within a partition). Not thread-safe beyond its synchronized methods; one per test.
 */
public final class TopicReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> topics;
    /** Start offset of every partition known at construction; partitions not in here start at 0. */
    private final Map<TopicPartition, Long> snapshot = new HashMap<>();
    private final Set<TopicPartition> assigned = new LinkedHashSet<>();
    private final Map<String, List<ConsumerRecord<String, byte[]>>> received = new HashMap<>();

    /** Reads what committed transactions (and non-transactional producers) wrote, as hookgate's consumers do. */
    public TopicReader(String bootstrapServers, String... topics) {
        this("read_committed", bootstrapServers, topics);
    }

    /** Reads records as they are written, also those of transactions still open (or aborted later). */
    public static TopicReader uncommitted(String bootstrapServers, String... topics) {
        return new TopicReader("read_uncommitted", bootstrapServers, topics);
    }

    private TopicReader(String isolationLevel, String bootstrapServers, String... topics) {
        if (topics.length == 0) {
            throw new IllegalArgumentException("at least one topic");
        }
        this.topics = new LinkedHashSet<>(Arrays.asList(topics));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "topic-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(props);
        try {
            for (String topic : this.topics) {
                received.put(topic, new ArrayList<>());
                List<TopicPartition> partitions = partitionsOf(topic);
                if (!partitions.isEmpty()) {
                    snapshot.putAll(consumer.endOffsets(partitions, METADATA_TIMEOUT));
                }
            }
            assignNewPartitions();
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Waits until at least {@code count} records have arrived on {@code topic} since the snapshot and returns all
     * of them (possibly more than {@code count}).
     *
     * @throws AssertionError on timeout, listing what did arrive
     */
    public synchronized List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, int count, Duration timeout) {
        requireTopic(topic);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.get(topic).size() < count) {
            if (System.nanoTime() - deadline >= 0) {
                List<ConsumerRecord<String, byte[]>> got = received.get(topic);
                throw new AssertionError("Expected at least " + count + " record(s) on topic '" + topic + "' within "
                        + timeout + " but " + got.size() + " arrived" + (got.isEmpty() ? "" : ":\n" + describe(got))
                        + "\n(assigned partitions: " + assigned + ", start offsets: " + snapshot + ")");
            }
            pollOnce(deadline);
        }
        return List.copyOf(received.get(topic));
    }

    /**
     * Reads for the whole {@code settle} time and returns every record seen on {@code topic} since the snapshot.
     * For asserting that nothing (or nothing more) arrived.
     */
    public synchronized List<ConsumerRecord<String, byte[]>> recordsSoFar(String topic, Duration settle) {
        requireTopic(topic);
        long deadline = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() - deadline < 0) {
            pollOnce(deadline);
        }
        return List.copyOf(received.get(topic));
    }

    /** The value of the last header called {@code name}, as UTF-8, or null if there is none. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The value of {@code record} as UTF-8 (null for a null value). */
    public static String valueAsString(ConsumerRecord<?, byte[]> record) {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------------------------------------------

    /** One poll (or, with nothing assigned yet, one short wait) bounded by {@code deadline}. */
    private void pollOnce(long deadline) {
        assignNewPartitions();
        long remainingMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
        Duration wait = Duration.ofMillis(Math.min(POLL.toMillis(), remainingMs));
        if (assigned.isEmpty()) {
            // No topic exists yet: nothing to poll. Wait a little before looking again (bounded by the deadline).
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            return;
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(wait);
        for (ConsumerRecord<String, byte[]> record : records) {
            received.get(record.topic()).add(record);
        }
    }

    /** Assigns (and seeks) partitions of the reader's topics that were not known before. */
    private void assignNewPartitions() {
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : topics) {
            for (TopicPartition tp : partitionsOf(topic)) {
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        assigned.addAll(fresh);
        consumer.assign(assigned);
        for (TopicPartition tp : fresh) {
            consumer.seek(tp, snapshot.getOrDefault(tp, 0L));
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (infos == null) {
            return List.of();
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
    }

    private void requireTopic(String topic) {
        if (!topics.contains(topic)) {
            throw new IllegalArgumentException("This reader was not created for topic '" + topic + "' but for "
                    + topics);
        }
    }

    private static String describe(Collection<ConsumerRecord<String, byte[]>> records) {
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            String value = r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8);
            if (value.length() > 200) {
                value = value.substring(0, 200) + "...";
            }
            StringBuilder headers = new StringBuilder();
            for (Header h : r.headers()) {
                headers.append(headers.length() == 0 ? "" : ", ").append(h.key()).append('=')
                        .append(h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8));
            }
            lines.add("  " + r.topic() + "-" + r.partition() + "@" + r.offset() + " key=" + r.key()
                    + " headers={" + headers + "} value=" + value);
        }
        return String.join("\n", lines);
    }

    /** The one record of {@code records}; fails listing them if there is not exactly one. */
    public static ConsumerRecord<String, byte[]> only(List<ConsumerRecord<String, byte[]>> records) {
        if (records.size() != 1) {
            throw new AssertionError("expected exactly one record, got " + records.size() + ": " + records);
        }
        return records.get(0);
    }
}
