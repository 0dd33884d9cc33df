package io.hookgate.bench;

import io.hookgate.signature.TolokaVerifier;
import io.hookgate.signature.VerificationException;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
import io.hookgate.toloka.TopicTemplate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The yardstick: what the stack (Vert.x 4.5 HTTP + kafka-clients 3.9.1 on this machine) can do for
 * hookgate's job with the least code, and the same guarantees as hookgate's default configuration
 * (each accepted batch in Kafka whole before 200; each event published to its topic once, atomically
 * with the rest of its batch; redeliveries of a uuid dropped).
 *
 * <p>HTTP, {@code POST /webhooks/toloka}: read the whole body; 415 unless JSON; verify
 * {@code Toloka-Signature} with hookgate's own {@link TolokaVerifier} (header parse, HMAC-SHA256 over
 * {@code ts.v.body}, constant-time compare, 300 s window) or 401; parse the batch with hookgate's
 * {@link TolokaBatch#parse} or 400; write ONE intake record (value the raw body, key the first event's
 * pool, headers source/request id/received-at) on {@link #INTAKE_TOPIC} with an idempotent producer
 * (acks=all, linger.ms=0); 200 after its ack, 503 if it fails. Refused requests are not dead-lettered
 * (the benchmark sends none).
 *
 * <p>Fan-out, one thread: a {@code read_committed} {@link KafkaConsumer} on the intake topic and a
 * transactional {@link KafkaProducer}, consume-transform-produce: every poll's intake records in one
 * transaction, one record per event on {@code baseline.toloka.<type>} (key assignment id, the seven
 * record headers hookgate writes) unless its uuid was published before, the consumer's offsets with
 * {@code sendOffsetsToTransaction}, commit. The published uuids live in a plain insertion-ordered map
 * bounded like hookgate's ({@code hookgate.dedup.max-ids}, 1,000,000); a transaction's uuids join it only
 * once the transaction has committed. Any Kafka error in the fan-out stops the process (a benchmark
 * baseline does not recover; the bench then reports it dead).
 *
 * <p>One verticle per core, so each core's event loop serves its own connections; nothing blocks an
 * event loop (the topics' metadata is fetched before the server starts, so {@code send} does not wait
 * for it). The topics are the baseline's own (BrokerMain creates them), so that the bench can count
 * each server's events apart.
 *
 * <p>Usage: {@code Baseline <port> <bootstrap-servers>}; the secret of key version 1 comes from the
 * system property {@code hookgate.toloka.secrets.1}.
 */
public final class Baseline extends AbstractVerticle {

    static final String PATH = "/webhooks/toloka";
    /** The baseline's intake topic: one partition, as hookgate's default. */
    static final String INTAKE_TOPIC = "baseline.intake";
    /** The baseline's event topics, apart from hookgate's. */
    static final TopicTemplate TOPICS = new TopicTemplate("baseline.toloka.{type}");
    private static final int MAX_IDS = 1_000_000;

    private static final AtomicLong RECEIVED = new AtomicLong();
    private static final AtomicLong ANSWERED = new AtomicLong();
    private static KafkaProducer<String, byte[]> producer;
    private static TolokaVerifier verifier;
    private static int port;

    public static void main(String[] args) throws Exception {
        port = Integer.parseInt(args[0]);
        String brokers = args[1];
        String secret = System.getProperty("hookgate.toloka.secrets.1");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("set -Dhookgate.toloka.secrets.1");
        }
        verifier = new TolokaVerifier(Map.of("1", secret.getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(300), Clock.systemUTC());

        Properties props = producerConfig(brokers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(props);
        producer.partitionsFor(INTAKE_TOPIC); // metadata now, not on an event loop

        Thread fanOut = new Thread(() -> fanOut(brokers), "baseline-fan-out");
        fanOut.setDaemon(true);
        fanOut.start();

        int instances = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        vertx.deployVerticle(Baseline.class.getName(), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("READY baseline on port " + port + " (" + instances + " verticles), Kafka " + brokers);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("baseline: " + RECEIVED.get() + " requests received, " + ANSWERED.get() + " answered");
            vertx.close().toCompletionStage().toCompletableFuture().join();
            producer.close(Duration.ofSeconds(5));
        }, "baseline-shutdown"));
    }

    /** The bounds hookgate's application.properties sets, acks=all, idempotent. */
    private static Properties producerConfig(String brokers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Consume-transform-produce from the intake topic, until the process ends or Kafka fails. */
    private static void fanOut(String brokers) {
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-fan-out");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties producerProps = producerConfig(brokers);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "baseline-fan-out-1");
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10000);
        Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > MAX_IDS;
            }
        };
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps);
             KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(producerProps)) {
            transactional.initTransactions();
            consumer.subscribe(List.of(INTAKE_TOPIC));
            while (true) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                transactional.beginTransaction();
                Set<String> published = new HashSet<>();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> intake : records) {
                    byte[] requestId = intake.headers().lastHeader("hookgate-request-id").value();
                    byte[] receivedAt = intake.headers().lastHeader("hookgate-received-at").value();
                    for (TolokaEvent event : TolokaBatch.parse(intake.value())) {
                        String uuid = event.uuid();
                        if (uuid != null && (seen.containsKey(uuid) || !published.add(uuid))) {
                            continue; // a redelivery: published before
                        }
                        transactional.send(new ProducerRecord<>(TOPICS.topicFor(event.type()), null,
                                event.key(), event.json(), eventHeaders(event, requestId, receivedAt)));
                    }
                    offsets.put(new TopicPartition(intake.topic(), intake.partition()),
                            new OffsetAndMetadata(intake.offset() + 1));
                }
                transactional.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                transactional.commitTransaction();
                for (String uuid : published) {
                    seen.put(uuid, Boolean.TRUE);
                }
            }
        } catch (RuntimeException | MalformedBatchException e) {
            System.err.println("baseline fan-out failed, stopping: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static RecordHeaders eventHeaders(TolokaEvent event, byte[] requestId, byte[] receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("hookgate-source", SOURCE);
        headers.add("toloka-event-type", utf8(event.type()));
        if (event.uuid() != null) {
            headers.add("toloka-event-uuid", utf8(event.uuid()));
        }
        if (event.poolId() != null) {
            headers.add("toloka-pool-id", utf8(event.poolId()));
        }
        if (event.projectId() != null) {
            headers.add("toloka-project-id", utf8(event.projectId()));
        }
        headers.add("hookgate-request-id", requestId);
        headers.add("hookgate-received-at", receivedAt);
        return headers;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(this::handle)
                .listen(port)
                .<Void>mapEmpty()
                .onComplete(started);
    }

    private void handle(HttpServerRequest request) {
        RECEIVED.incrementAndGet();
        if (!PATH.equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        if (request.method() != HttpMethod.POST) {
            request.response().setStatusCode(405).end();
            return;
        }
        Instant receivedAt = Instant.now();
        request.body()
                .onSuccess(body -> process(request, body, receivedAt))
                .onFailure(e -> answer(request, 400, "{\"error\":\"incomplete-body\"}", null));
    }

    private void process(HttpServerRequest request, Buffer buffer, Instant receivedAt) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            answer(request, 415, "{\"error\":\"unsupported-media-type\"}", null);
            return;
        }
        byte[] body = buffer.getBytes();
        List<TolokaEvent> events;
        try {
            verifier.verify(request.getHeader("Toloka-Signature"), body);
            events = TolokaBatch.parse(body);
        } catch (VerificationException e) {
            answer(request, 401, "{\"error\":\"" + e.reason().code() + "\"}", null);
            return;
        } catch (MalformedBatchException e) {
            answer(request, 400, "{\"error\":\"malformed-body\"}", null);
            return;
        }
        String requestId = requestId();
        String accepted = "{\"status\":\"accepted\",\"events\":" + events.size() + ",\"request_id\":\"" + requestId + "\"}";
        String pool = events.isEmpty() ? null : events.get(0).poolId();
        RecordHeaders headers = new RecordHeaders();
        headers.add("hookgate-source", SOURCE);
        headers.add("hookgate-request-id", utf8(requestId));
        headers.add("hookgate-received-at", utf8(receivedAt.toString()));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                INTAKE_TOPIC, null, pool != null ? pool : requestId, body, headers);
        Context context = vertx.getOrCreateContext();
        try {
            // the callback runs on the producer's I/O thread: answer from the request's event loop
            producer.send(record, (metadata, error) ->
                    context.runOnContext(v -> finish(request, error == null ? 0 : 1, accepted, requestId)));
        } catch (RuntimeException e) { // send() itself failed (metadata timeout, buffer full, closed)
            finish(request, 1, accepted, requestId);
        }
    }

    private static void finish(HttpServerRequest request, int failures, String accepted, String requestId) {
        if (failures == 0) {
            answer(request, 200, accepted, requestId);
        } else {
            request.response().putHeader("Retry-After", "10");
            answer(request, 503, "{\"error\":\"kafka-unavailable\"}", requestId);
        }
    }

    private static void answer(HttpServerRequest request, int status, String json, String requestId) {
        ANSWERED.incrementAndGet();
        if (requestId != null) {
            request.response().putHeader("hookgate-request-id", requestId);
        }
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }

    private static final byte[] SOURCE = utf8("toloka");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }
}
