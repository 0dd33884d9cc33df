package io.hookgate.bench;

import io.hookgate.signature.TolokaVerifier;
import io.hookgate.signature.VerificationException;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The yardstick: what the stack (Vert.x 4.5 HTTP + kafka-clients 3.9.1 on this machine) can do for
 * hookgate's job with the least code, and the same guarantees as hookgate's default configuration.
 *
 * <p>{@code POST /webhooks/toloka}: read the whole body; 415 unless JSON; verify {@code Toloka-Signature}
 * with hookgate's own {@link TolokaVerifier} (header parse, HMAC-SHA256 over {@code ts.v.body}, constant-time
 * compare, 300 s window) or 401; split with hookgate's {@link TolokaBatch#parse} (plain Jackson, events
 * sliced byte for byte) or 400; one record per event on {@code toloka.<type>}, key assignment id, the same
 * seven record headers hookgate writes; every record of the request is sent at once, asynchronously, on
 * one shared idempotent producer (acks=all, linger.ms=0); 200 after the last ack, 503 if any fails.
 * No transactions and no deduplication: hookgate's default has neither yet. Refused requests are not
 * dead-lettered (the benchmark sends none).
 *
 * <p>One verticle per core, so each core's event loop serves its own connections; nothing blocks an
 * event loop (the topics' metadata is fetched before the server starts, so {@code send} does not wait
 * for it).
 *
 * <p>Usage: {@code Baseline <port> <bootstrap-servers>}; the secret of key version 1 comes from the
 * system property {@code hookgate.toloka.secrets.1}.
 */
public final class Baseline extends AbstractVerticle {

    static final String PATH = "/webhooks/toloka";

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

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // the bounds hookgate's application.properties sets
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
        for (String type : Events.TYPES) {
            producer.partitionsFor(Events.TOPICS.topicFor(type)); // metadata now, not on an event loop
        }

        int instances = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        vertx.deployVerticle(Baseline.class.getName(), new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("READY baseline on port " + port + " (" + instances + " verticles), Kafka " + brokers);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("baseline: " + RECEIVED.get() + " requests received, " + ANSWERED.get() + " answered");
            vertx.close().toCompletionStage().toCompletableFuture().join();
            producer.close(java.time.Duration.ofSeconds(5));
        }, "baseline-shutdown"));
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
        request.body()
                .onSuccess(body -> process(request, body))
                .onFailure(e -> answer(request, 400, "{\"error\":\"incomplete-body\"}", null));
    }

    private void process(HttpServerRequest request, Buffer buffer) {
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
        byte[] requestIdBytes = requestId.getBytes(StandardCharsets.UTF_8);
        byte[] receivedAt = Instant.now().toString().getBytes(StandardCharsets.UTF_8);
        String accepted = "{\"status\":\"accepted\",\"events\":" + events.size() + ",\"request_id\":\"" + requestId + "\"}";
        if (events.isEmpty()) {
            answer(request, 200, accepted, requestId);
            return;
        }

        Context context = vertx.getOrCreateContext();
        AtomicInteger outstanding = new AtomicInteger(events.size());
        AtomicInteger failures = new AtomicInteger();
        for (TolokaEvent event : events) {
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
            headers.add("hookgate-request-id", requestIdBytes);
            headers.add("hookgate-received-at", receivedAt);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    Events.TOPICS.topicFor(event.type()), null, event.key(), event.json(), headers);
            try {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    }
                    if (outstanding.decrementAndGet() == 0) {
                        // the callback runs on the producer's I/O thread: answer from the request's event loop
                        context.runOnContext(v -> finish(request, failures.get(), accepted, requestId));
                    }
                });
            } catch (RuntimeException e) { // send() itself failed (metadata timeout, buffer full, closed)
                failures.incrementAndGet();
                if (outstanding.decrementAndGet() == 0) {
                    finish(request, failures.get(), accepted, requestId);
                }
            }
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
