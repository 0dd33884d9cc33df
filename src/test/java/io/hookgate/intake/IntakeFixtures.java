package io.hookgate.intake;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the fan-out worker's tests feed it and listen with. */
final class IntakeFixtures {

    private IntakeFixtures() {
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
