package io.hookgate.intake;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.hookgate.toloka.TopicTemplate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the fan-out worker's tests feed it and listen with. */
final class IntakeFixtures {

    private IntakeFixtures() {
    }

    /** A name of its own for one test's worker(s), {@code prefix-<8 hex>}: its topics and group are named after it. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The intake topic of {@link #worker}s named {@code name}. */
    static String intakeTopic(String name) {
        return name + ".intake";
    }

    /** The topic Skyvern runs are published to by {@link #worker}s named {@code name}. */
    static String runsTopic(String name) {
        return name + ".runs";
    }

    /**
     * A worker whose topics and group are named after {@code name} ({@link #intakeTopic}, {@link #runsTopic},
     * group {@code name}, {@code name.{type}}, {@code name.dead-letter}), with a 60 s transaction timeout and
     * a window of an hour: only what a test varies is a parameter.
     *
     * @param consumer consumer settings on top of the brokers
     */
    static FanOutWorker worker(String brokers, String name, String instanceId, Duration commitInterval,
            Map<String, Object> consumer, FanOutWorker.Listener listener) {
        Map<String, Object> consumerConfig = new HashMap<>(consumer);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return new FanOutWorker(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), consumerConfig,
                new FanOutWorker.Settings(intakeTopic(name), 1, name, instanceId, Duration.ofSeconds(60),
                        commitInterval, name + ".dead-letter", Duration.ofHours(1), 10_000),
                new FanOut(new TopicTemplate(name + ".{type}"), runsTopic(name)), listener, Clock.systemUTC());
    }

    /** A producer that writes intake records as the HTTP routes do ({@code acks=all}). */
    static KafkaProducer<String, byte[]> intakeProducer(String brokers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ProducerConfig.ACKS_CONFIG,
                "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** An intake record as the Skyvern webhook route writes it, for a run webhook of {@code runId}. */
    static ProducerRecord<String, byte[]> skyvernRun(String topic, String runId) {
        IntakeRecord record = IntakeRecord.skyvern(UUID.randomUUID().toString(), Instant.now(),
                ("{\"run_id\":\"" + runId + "\",\"status\":\"completed\"}").getBytes(UTF_8));
        ProducerRecord<String, byte[]> sent = new ProducerRecord<>(topic, record.key(), record.body());
        record.headers().forEach((name, value) -> sent.headers().add(name, value.getBytes(UTF_8)));
        return sent;
    }

    /** A listener that ignores what it hears; a test overrides what it listens for. */
    static class NoMetrics implements FanOutWorker.Listener {
        @Override
        public void published(String topic, int records) {
        }

        @Override
        public void duplicates(String source, int records) {
        }

        @Override
        public void visible(String source, Duration delay) {
        }

        @Override
        public void failed(FanOutWorker.Failing failing) {
        }
    }
}
