package io.hookgate.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaBrokerIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerIT.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path tempDir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        broker = EmbeddedKafkaBroker.start(0, tempDir.resolve("main"));
        LOG.info("Embedded broker first start (format + start + ready) took {} ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void startsOnAFreePortAndServesAnIdempotentAcksAllProducer() throws Exception {
        assertTrue(broker.port() > 0);
        assertEquals("localhost:" + broker.port(), broker.bootstrapServers());
        assertEquals(tempDir.resolve("main").toAbsolutePath().normalize(), broker.dataDir());

        String topic = "it-plain-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), topic);
             KafkaProducer<String, byte[]> producer = producer(broker, Map.of())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "k1", utf8("héllo\r\n"));
            record.headers().add("x-hookgate", utf8("yes"));
            RecordMetadata metadata = producer.send(record).get(30, TimeUnit.SECONDS);
            assertEquals(0, metadata.offset());

            List<ConsumerRecord<String, byte[]>> records = reader.awaitRecords(topic, 1, WAIT);
            assertEquals(1, records.size());
            assertEquals("k1", records.get(0).key());
            assertEquals("héllo\r\n", TopicReader.valueAsString(records.get(0)));
            assertEquals("yes", TopicReader.header(records.get(0), "x-hookgate"));
        }
    }

    @Test
    void transactionalCommitsAreVisibleToReadCommittedAndAbortsAreNot() throws Exception {
        String topic = "it-tx-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), topic);
             KafkaProducer<String, byte[]> producer = producer(broker,
                     Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx-" + UUID.randomUUID()))) {
            long t0 = System.nanoTime();
            producer.initTransactions();
            LOG.info("initTransactions (creates __transaction_state) took {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", utf8("committed-1")));
            producer.send(new ProducerRecord<>(topic, "b", utf8("committed-2")));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c", utf8("aborted"))).get(30, TimeUnit.SECONDS);
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "d", utf8("committed-3")));
            producer.commitTransaction();

            // read_committed delivers in offset order: once committed-3 is there, an aborted record would be too.
            List<String> values = reader.awaitRecords(topic, 3, WAIT).stream()
                    .map(TopicReader::valueAsString).toList();
            assertEquals(List.of("committed-1", "committed-2", "committed-3"), values);
        }
    }

    @Test
    void restartOnTheSamePortAndDataDirKeepsRecordsAndAcceptsNewOnes() throws Exception {
        Path dir = tempDir.resolve("restart");
        String topic = "it-restart";
        long t0 = System.nanoTime();
        EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(0, dir);
        long firstStartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        int port = first.port();
        // Stays open across the restarts, like the gateway's producer: it must reconnect on its own.
        try (KafkaProducer<String, byte[]> survivor = producer(first, Map.of())) {
            survivor.send(new ProducerRecord<>(topic, "k", utf8("before-restart"))).get(30, TimeUnit.SECONDS);

            t0 = System.nanoTime();
            first.close();
            long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            first.close(); // idempotent

            List<Long> restartMs = new ArrayList<>();
            List<Long> survivorSendMs = new ArrayList<>();
            List<String> expected = new ArrayList<>(List.of("before-restart"));
            // Twice, to catch static state that survives one stop/start cycle but not two.
            for (int cycle = 1; cycle <= 2; cycle++) {
                t0 = System.nanoTime();
                EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(port, dir);
                restartMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                try {
                    assertEquals(port, again.port());
                    assertEquals(List.copyOf(expected), readAll(again, topic, expected.size()));

                    t0 = System.nanoTime();
                    survivor.send(new ProducerRecord<>(topic, "k", utf8("survivor-" + cycle))).get(30, TimeUnit.SECONDS);
                    survivorSendMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    expected.add("survivor-" + cycle);
                    try (KafkaProducer<String, byte[]> fresh = producer(again, Map.of())) {
                        fresh.send(new ProducerRecord<>(topic, "k", utf8("fresh-" + cycle))).get(30, TimeUnit.SECONDS);
                    }
                    expected.add("fresh-" + cycle);
                    assertEquals(List.copyOf(expected), readAll(again, topic, expected.size()));
                } finally {
                    t0 = System.nanoTime();
                    again.close();
                    LOG.info("close after restart {} took {} ms", cycle,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
            }
            LOG.info("Broker timings: first start {} ms, close {} ms, restarts on the same port and dir {} ms;"
                    + " first send of a producer that stayed open across the restart {} ms",
                    firstStartMs, closeMs, restartMs, survivorSendMs);
        }
    }

    @Test
    void runsNextToTheSharedBrokerInTheSameJvm() throws Exception {
        EmbeddedKafkaBroker shared = SharedKafka.broker();
        assertNotEquals(shared.port(), broker.port());
        String topic = "it-two-brokers-" + UUID.randomUUID();
        for (EmbeddedKafkaBroker b : List.of(shared, broker)) {
            try (TopicReader reader = new TopicReader(b.bootstrapServers(), topic);
                 KafkaProducer<String, byte[]> producer = producer(b, Map.of())) {
                producer.send(new ProducerRecord<>(topic, "k", utf8(b.bootstrapServers()))).get(30, TimeUnit.SECONDS);
                List<ConsumerRecord<String, byte[]>> records = reader.awaitRecords(topic, 1, WAIT);
                assertEquals(List.of(b.bootstrapServers()),
                        records.stream().map(TopicReader::valueAsString).toList());
            }
        }
    }

    @Test
    void aPortInUseFailsClearlyAndLeavesTheDataDirUsable() throws IOException {
        Path dir = tempDir.resolve("port-in-use");
        try (ServerSocket occupied = new ServerSocket()) {
            occupied.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(occupied.getLocalPort(), dir));
            LOG.info("Expected failure: {}", e.getMessage());
            assertTrue(e.getMessage().contains("localhost:" + occupied.getLocalPort()), e.getMessage());
        }
        assertTrue(Files.isRegularFile(dir.resolve("meta.properties")), "formatted despite the failed start");
        try (EmbeddedKafkaBroker recovered = EmbeddedKafkaBroker.start(0, dir)) {
            assertTrue(recovered.port() > 0);
        }
    }

    @Test
    void refusesTheDataDirOfARunningBrokerAndLeavesThatBrokerAlone() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedKafkaBroker.start(0, broker.dataDir()));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());

        String topic = "it-still-fine-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), topic);
             KafkaProducer<String, byte[]> producer = producer(broker, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "k", utf8("still-fine"))).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("still-fine"),
                    reader.awaitRecords(topic, 1, WAIT).stream().map(TopicReader::valueAsString).toList());
        }
    }

    @Test
    void structuralPropertiesCannotBeOverridden() {
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafkaBroker.start(0, tempDir.resolve("never"), Map.of("listeners", "PLAINTEXT://:1")));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedKafkaBroker.start(-1, tempDir.resolve("never")));
    }

    // ------------------------------------------------------------------------------------------------------

    static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker b, Map<String, String> extra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(extra);
        return new KafkaProducer<>(props);
    }

    /** Every value of partition 0 of {@code topic} from the beginning, once at least {@code count} are there. */
    private static List<String> readAll(EmbeddedKafkaBroker b, String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(TopicReader.valueAsString(r)));
            }
        }
        return values;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
