package io.hookgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicReaderIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void createProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void ignoresRecordsWrittenBeforeItWasCreated() throws Exception {
        String topic = "reader-before-" + UUID.randomUUID();
        send(topic, "old-1");
        send(topic, "old-2");

        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), topic)) {
            assertEquals(List.of(), reader.recordsSoFar(topic, Duration.ofMillis(300)));
            send(topic, "new-1");
            assertEquals(List.of("new-1"), values(reader.awaitRecords(topic, 1, WAIT)));
            send(topic, "new-2");
            assertEquals(List.of("new-1", "new-2"), values(reader.awaitRecords(topic, 2, WAIT)));
            // Asserting absence: nothing more arrives.
            assertEquals(2, reader.recordsSoFar(topic, Duration.ofMillis(500)).size());
        }
    }

    @Test
    void readsATopicThatIsCreatedAfterItWithoutCreatingItItself() throws Exception {
        String late = "reader-late-" + UUID.randomUUID();
        String other = "reader-other-" + UUID.randomUUID();
        send(other, "existing");
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), late, other)) {
            assertEquals(List.of(), reader.recordsSoFar(late, Duration.ofMillis(500)));
            assertFalse(topicExists(late), "the reader must not create the topic");

            send(late, "first-on-late-topic");
            send(other, "new-on-other");
            assertEquals(List.of("first-on-late-topic"), values(reader.awaitRecords(late, 1, WAIT)));
            assertEquals(List.of("new-on-other"), values(reader.awaitRecords(other, 1, WAIT)));
        }
    }

    @Test
    void aReaderOfOnlyMissingTopicsWaitsForThem() throws Exception {
        String late = "reader-only-late-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), late)) {
            send(late, "x");
            assertEquals(List.of("x"), values(reader.awaitRecords(late, 1, WAIT)));
        }
    }

    @Test
    void timeoutFailsWithWhatDidArrive() throws Exception {
        String topic = "reader-timeout-" + UUID.randomUUID();
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), topic)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "key-1", utf8("only-one"));
            record.headers().add("h", utf8("v1")).add("h", utf8("v2"));
            producer.send(record).get(30, TimeUnit.SECONDS);
            AssertionError e = assertThrows(AssertionError.class,
                    () -> reader.awaitRecords(topic, 2, Duration.ofSeconds(2)));
            assertTrue(e.getMessage().contains("1 arrived"), e.getMessage());
            assertTrue(e.getMessage().contains("only-one"), e.getMessage());
            assertTrue(e.getMessage().contains("key-1"), e.getMessage());

            ConsumerRecord<String, byte[]> got = reader.awaitRecords(topic, 1, WAIT).get(0);
            assertEquals("v2", TopicReader.header(got, "h"));
            assertNull(TopicReader.header(got, "missing"));
        }
    }

    @Test
    void rejectsATopicItWasNotCreatedFor() {
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), "reader-a-" + UUID.randomUUID())) {
            assertThrows(IllegalArgumentException.class, () -> reader.recordsSoFar("elsewhere", Duration.ZERO));
        }
    }

    // ------------------------------------------------------------------------------------------------------

    private static void send(String topic, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, "k", utf8(value))).get(30, TimeUnit.SECONDS);
    }

    private static boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
        }
    }

    private static List<String> values(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(TopicReader::valueAsString).toList();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
