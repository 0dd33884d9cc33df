package io.hookgate.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * After a run: how many events each server actually published, read back {@code read_committed} from
 * its own event topics, and how many of them repeat a uuid. So that neither server can look fast by not
 * publishing: the bench fails when a server published nothing, or published a uuid twice.
 *
 * <p>Usage: {@code Count <bootstrap-servers> <name>=<topic template> ...}, e.g.
 * {@code hookgate=toloka.{type} baseline=baseline.toloka.{type}}. Prints one line per server:
 * {@code COUNT <name> events=<n> distinct-uuids=<n> duplicates=<n>}; exits 1 if a check fails.
 */
public final class Count {

    private Count() {
    }

    public static void main(String[] args) {
        String brokers = args[0];
        // the servers' topics are read at the same time, one consumer each: the count took a minute read in turn
        List<CompletableFuture<long[]>> counting = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(args.length - 1); // not the common pool: 1 thread on 2 cores
        for (int i = 1; i < args.length; i++) {
            String template = args[i].substring(args[i].indexOf('=') + 1);
            List<String> topics = new ArrayList<>();
            for (String type : Events.TYPES) {
                topics.add(new io.hookgate.toloka.TopicTemplate(template).topicFor(type));
            }
            counting.add(CompletableFuture.supplyAsync(() -> count(brokers, topics), readers));
        }
        boolean ok = true;
        for (int i = 1; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            long[] counts = counting.get(i - 1).join();
            long duplicates = counts[0] - counts[1];
            System.out.println("COUNT " + name + " events=" + counts[0] + " distinct-uuids=" + counts[1]
                    + " duplicates=" + duplicates);
            if (counts[0] == 0 || duplicates != 0) {
                System.out.println("COUNT " + name + ": FAILED (no events, or an event published twice)");
                ok = false;
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /** {events, distinct uuids} on {@code topics}, up to their last stable offsets. */
    private static long[] count(String brokers, List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50_000);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end offsets are the last stable offsets, past every committed transaction
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Set<String> uuids = new HashSet<>();
            long events = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the event topics to their end in 5 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events++;
                    Header uuid = record.headers().lastHeader("toloka-event-uuid");
                    if (uuid != null) {
                        uuids.add(new String(uuid.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return new long[] {events, uuids.size()};
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
