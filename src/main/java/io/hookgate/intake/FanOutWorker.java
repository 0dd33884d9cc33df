package io.hookgate.intake;

import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.wire.HookgateHeaders;
import io.hookgate.wire.RejectedRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the intake topic holds, exactly once and a request at a time, for consumers that read
 * with {@code isolation.level=read_committed}: consume-transform-produce with Kafka transactions.
 *
 * <p>Every instance runs one worker, all in one consumer group, so each intake partition has exactly one
 * writer at a time. A worker polls a batch of intake records, publishes the records of each (its events,
 * minus the ones whose id it has already published) and the consumer offsets in one transaction. So:
 * <ul>
 *   <li>the events of one request become visible together, or not at all: they are in one transaction,
 *   and an intake record is never split across two;</li>
 *   <li>an event is published once: a redelivery lands in the same intake partition (see
 *   {@link IntakeRecord}), whose single writer remembers the ids it published in the window
 *   ({@link SeenIds}); two deliveries at the same moment to two instances are two records in one
 *   partition, processed one after the other;</li>
 *   <li>a failure anywhere aborts the transaction, and the worker starts over from the committed offsets
 *   with its memory of ids rebuilt from the intake records before them; a worker that lost its partitions
 *   while stalled is fenced by the group generation and cannot commit.</li>
 * </ul>
 * Many requests share a transaction, which keeps the cost of transactions off the HTTP path (a
 * transaction per request caps a server at about a thousand requests per second). A transaction stays
 * open across polls for the commit interval (100 ms by default, as Kafka Streams' exactly-once
 * {@code commit.interval.ms}), and its records go out as they are read. Committing after every poll
 * instead, the worker read nothing while it waited for each commit and then sent what had arrived
 * meanwhile in one burst, on the broker that the HTTP path waits for: at 1,000 requests a second of ten
 * events, the HTTP path's p99 was about 1.2 ms higher at the median of short runs (bench/BENCHMARKS.md).
 */
public final class FanOutWorker implements AutoCloseable {

    /** What the worker tells its host about, for metrics; called on the worker's thread. */
    public interface Listener {
        /** {@code records} records on {@code topic} became visible. */
        void published(String topic, int records);

        /** {@code records} redelivered records of {@code source} were not published again. */
        void duplicates(String source, int records);

        /** A request's records became visible {@code delay} after hookgate started reading it. */
        void visible(String source, Duration delay);

        /**
         * The worker failed: what it had open is aborted, and it starts over from the committed offsets.
         * {@code failing} says since when, how many times in a row, and why.
         */
        void failed(Failing failing);
    }

    /**
     * A worker that has failed and not published since: from when, how many times in a row, and the last
     * failure (its exception and causes, as the log has it).
     */
    public record Failing(Instant since, int times, String lastFailure) {
    }

    /**
     * @param intakeTopic the topic of accepted requests
     * @param intakePartitions partitions to create the intake topic with, if it does not exist
     * @param groupId the consumer group all instances share
     * @param transactionalId this instance's transactional id (unique per instance, stable across restarts
     *     where possible: a restart then fences its predecessor at once)
     * @param transactionTimeout the longest a transaction may stay open (a crashed worker's open
     *     transaction holds back read_committed consumers for that long)
     * @param commitInterval how long a transaction collects intake records before it commits (less than
     *     half the transaction timeout); what it publishes becomes visible up to this much later
     * @param deadLetterTopic where an intake record that cannot be read goes
     * @param window how long a published id is remembered
     * @param maxIds how many ids a partition remembers at most
     */
    public record Settings(String intakeTopic, int intakePartitions, String groupId, String transactionalId,
            Duration transactionTimeout, Duration commitInterval, String deadLetterTopic, Duration window,
            int maxIds) {

        public Settings {
            if (commitInterval.isNegative() || commitInterval.multipliedBy(2).compareTo(transactionTimeout) >= 0) {
                throw new IllegalArgumentException("the commit interval (" + commitInterval.toMillis()
                        + " ms) must be at least 0 and less than half the transaction timeout ("
                        + transactionTimeout.toMillis() + " ms)");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FanOutWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REBUILD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Bound on closing the clients, so that a stop never hangs on a broker that is gone. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> producerBase;
    private final Map<String, Object> consumerBase;
    private final Settings settings;
    private final FanOut fanOut;
    private final Listener listener;
    private final Clock clock;
    private final Map<TopicPartition, SeenIds> seen = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    /** Set by {@link #stop}: publish what the partitions held have now, then end the session. */
    private volatile boolean draining;
    /** Set at a failure, cleared when a session commits or has caught up with nothing to do. */
    private volatile Failing failing;
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** The transaction collecting intake records, if one is; only the worker's thread touches it. */
    private Transaction open;
    private Thread thread;

    /**
     * @param producerBase the producer's settings (brokers, security, timeouts), and
     * @param consumerBase the consumers' (and the admin client's): what exactly-once needs is set here on
     *     top of them
     */
    public FanOutWorker(Map<String, Object> producerBase, Map<String, Object> consumerBase, Settings settings,
            FanOut fanOut, Listener listener, Clock clock) {
        this.producerBase = Map.copyOf(producerBase);
        this.consumerBase = Map.copyOf(consumerBase);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "hookgate-fan-out");
        thread.start();
    }

    /**
     * Drains, then stops: publishes (and commits) every intake record that its partitions hold at this
     * moment, so that what this instance answered {@code 200} for is visible before it goes, and ends
     * with no transaction open. After {@code timeout} it stops after the transaction under way instead
     * (what is left is published by the partitions' next owner, from the committed offsets). A worker
     * that is failing (backing off) stops at once.
     */
    public void stop(Duration timeout) throws InterruptedException {
        Thread worker;
        synchronized (this) {
            worker = thread;
        }
        draining = true;
        stopped.countDown(); // ends a backoff wait
        if (worker != null) {
            worker.join(Math.max(1, timeout.toMillis()));
        }
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (worker != null) {
            worker.join(CLOSE_TIMEOUT.multipliedBy(3).toMillis());
            if (worker.isAlive()) {
                LOG.warn("fan-out: still running {} s after the stop; leaving it", timeout.plus(
                        CLOSE_TIMEOUT.multipliedBy(3)).toSeconds());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }

    /**
     * Whether the worker is failing: from a failure until a session of it commits a transaction, or has
     * joined the group and read every partition it holds to the end with nothing left to publish. What the
     * intake topic holds meanwhile is safe there and published once the worker gets through.
     */
    public Optional<Failing> failing() {
        return Optional.ofNullable(failing);
    }

    private void run() {
        while (running) {
            try {
                session();
                return;
            } catch (WakeupException e) {
                if (!running || draining) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!running || draining) {
                    if (draining) {
                        LOG.warn("fan-out: {} while stopping; the partitions' next owner publishes what is left",
                                describe(e));
                    }
                    return;
                }
                Failing before = failing;
                Failing now = new Failing(before == null ? clock.instant() : before.since(),
                        before == null ? 1 : before.times() + 1, describe(e) + hint(e));
                failing = now;
                Duration backoff = backoff(now.times());
                LOG.warn("fan-out: {}; starting over from the committed offsets in {} ms", now.lastFailure(),
                        backoff.toMillis());
                listener.failed(now);
                try {
                    if (stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** 0.5 s after a first failure, doubling with each one in a row up to {@link #MAX_BACKOFF}. */
    private static Duration backoff(int failuresInARow) {
        long doubled = FIRST_BACKOFF.toMillis() << Math.min(failuresInARow - 1, 20);
        return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), doubled));
    }

    /**
     * What to do about a failure, where its cause says more than the exception: being fenced means that
     * another worker runs with this one's ids, which only a second instance with the same instance id
     * (or one still running from before a restart) does.
     */
    private String hint(Throwable failure) {
        boolean fenced = withCauses(failure).stream()
                .anyMatch(e -> e instanceof FencedInstanceIdException || e instanceof ProducerFencedException);
        return fenced ? " (another worker runs with this instance's id " + settings.transactionalId()
                + ": each running instance needs an id of its own, hookgate.instance-id)" : "";
    }

    /**
     * An exception with its causes: a failed transaction's own says only that the producer is in an error
     * state, its cause says which send failed and why.
     */
    private static String describe(Throwable failure) {
        return withCauses(failure).stream().map(Throwable::toString).collect(Collectors.joining("; caused by "));
    }

    /** The exception and its causes, five at most (a chain of causes may loop). */
    private static List<Throwable> withCauses(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable e = failure; e != null && chain.size() < 6; e = e.getCause()) {
            chain.add(e);
        }
        return chain;
    }

    /** One consumer and one transactional producer, until stopped or drained, or until something fails. */
    private void session() {
        createIntakeTopic();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig());
        try {
            KafkaConsumer<String, byte[]> groupConsumer = new KafkaConsumer<>(consumerConfig(settings.groupId()));
            try {
                consumer = groupConsumer;
                producer.initTransactions(); // aborts what a predecessor with the same transactional id left open
                Rebuild rebuild = new Rebuild(groupConsumer);
                groupConsumer.subscribe(List.of(settings.intakeTopic()), rebuild);
                Map<TopicPartition, Long> drainTo = null;
                while (running) {
                    ConsumerRecords<String, byte[]> records = groupConsumer.poll(open == null ? POLL : open.untilDue());
                    if (!records.isEmpty()) {
                        if (open == null) {
                            open = new Transaction(producer, groupConsumer);
                        }
                        open.add(records);
                    } else if (failing != null && open == null && rebuild.joined && readToTheEnd(groupConsumer)) {
                        failing = null;
                    }
                    if (open != null && (draining || open.untilDue().isZero())) {
                        commit();
                    }
                    if (draining) {
                        if (drainTo == null) {
                            drainTo = groupConsumer.endOffsets(groupConsumer.assignment(), CLOSE_TIMEOUT);
                        }
                        if (caughtUp(groupConsumer, drainTo)) {
                            LOG.info("fan-out: stopped, every intake record of {} published",
                                    drainTo.isEmpty() ? "no partition" : drainTo.keySet());
                            return;
                        }
                    }
                }
            } finally {
                consumer = null;
                open = null; // closing the producer below aborts it
                seen.clear();
                groupConsumer.close(CLOSE_TIMEOUT);
            }
        } finally {
            // no transaction is open here unless a publish failed half-way: closing aborts it
            producer.close(CLOSE_TIMEOUT);
        }
    }

    /** Whether this consumer has read (and so published) every partition it holds up to {@code ends}. */
    private static boolean caughtUp(KafkaConsumer<String, byte[]> groupConsumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (groupConsumer.assignment().contains(end.getKey())
                    && groupConsumer.position(end.getKey(), CLOSE_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether this consumer has read every partition it holds to the end (the last one it fetched). */
    private static boolean readToTheEnd(KafkaConsumer<String, byte[]> groupConsumer) {
        for (TopicPartition partition : groupConsumer.assignment()) {
            OptionalLong lag = groupConsumer.currentLag(partition);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    /** Commits the open transaction (which throws if any of its sends failed), then reports what it published. */
    private void commit() {
        Transaction committing = open;
        open = null;
        committing.commit();
        failing = null;
    }

    /**
     * One transaction: the records of the intake records added to it, and the offsets past them. Begun when
     * the first intake record arrives, so that an idle worker commits nothing.
     */
    private final class Transaction {

        private final KafkaProducer<String, byte[]> producer;
        private final KafkaConsumer<String, byte[]> groupConsumer;
        private final long due;
        private final Map<String, Integer> byTopic = new LinkedHashMap<>();
        private final Map<String, Integer> duplicates = new LinkedHashMap<>();
        private final List<IntakeRecord> requests = new ArrayList<>();
        private final Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();

        Transaction(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> groupConsumer) {
            this.producer = producer;
            this.groupConsumer = groupConsumer;
            this.due = System.nanoTime() + settings.commitInterval().toNanos();
            producer.beginTransaction();
        }

        /** How long until the transaction is due to commit; zero when it is. */
        Duration untilDue() {
            return Duration.ofNanos(Math.max(0, due - System.nanoTime()));
        }

        /** Sends the records of every intake record polled (they go out now; they become visible at the commit). */
        void add(ConsumerRecords<String, byte[]> records) {
            for (ConsumerRecord<String, byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                next.put(partition, new OffsetAndMetadata(record.offset() + 1));
                Optional<Read> read = read(record);
                if (read.isEmpty()) {
                    producer.send(deadLetter(record));
                    continue;
                }
                SeenIds ids = seen.computeIfAbsent(partition, p -> newSeenIds());
                for (Published published : read.get().records()) {
                    if (published.dedupId() != null && !ids.firstTime(published.dedupId(), record.timestamp())) {
                        duplicates.merge(read.get().intake().source(), 1, Integer::sum);
                        continue;
                    }
                    producer.send(producerRecord(published));
                    byTopic.merge(published.topic(), 1, Integer::sum);
                }
                requests.add(read.get().intake());
            }
        }

        void commit() {
            producer.sendOffsetsToTransaction(next, groupConsumer.groupMetadata());
            producer.commitTransaction(); // throws if any send failed: then nothing of this transaction is visible

            byTopic.forEach(listener::published);
            duplicates.forEach(listener::duplicates);
            Instant now = clock.instant();
            for (IntakeRecord request : requests) {
                listener.visible(request.source(), Duration.between(request.receivedAt(), now));
            }
        }
    }

    private record Read(IntakeRecord intake, List<Published> records) {
    }

    /** The intake record and what it becomes; empty when it is not one hookgate could have written. */
    private Optional<Read> read(ConsumerRecord<String, byte[]> record) {
        try {
            IntakeRecord intake =
                    IntakeRecord.read(record.key(), name -> RecordHeaders.text(record, name), record.value());
            return Optional.of(new Read(intake, fanOut.recordsOf(intake)));
        } catch (IllegalArgumentException | MalformedBatchException e) {
            LOG.error("fan-out: intake record {}-{}@{} cannot be published ({}); sent to {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage(), settings.deadLetterTopic());
            return Optional.empty();
        }
    }

    /**
     * Commits the open transaction before partitions go, while this worker still holds them (its offsets
     * would be refused afterwards); remembers the ids published from each newly assigned partition, before
     * the first poll of it.
     */
    private final class Rebuild implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> groupConsumer;
        /** Whether the session has joined the group: its assignment, even an empty one, is known. */
        private boolean joined;

        Rebuild(KafkaConsumer<String, byte[]> groupConsumer) {
            this.groupConsumer = groupConsumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = groupConsumer.committed(new HashSet<>(partitions));
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(consumerConfig(null))) {
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata offset = committed.get(partition);
                    seen.put(partition, remembered(reader, partition, offset == null ? 0 : offset.offset()));
                }
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (open != null && !partitions.isEmpty()) {
                commit();
            }
            partitions.forEach(seen::remove);
        }

        /** Partitions taken away without a revocation: the open transaction cannot commit, so start over. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (open != null) {
                throw new IllegalStateException("lost intake partitions " + partitions + " with a transaction open");
            }
            partitions.forEach(seen::remove);
        }
    }

    /** The ids of the intake records of {@code partition} before {@code end} and within the window. */
    private SeenIds remembered(KafkaConsumer<String, byte[]> reader, TopicPartition partition, long end) {
        SeenIds ids = newSeenIds();
        if (end == 0) {
            return ids;
        }
        long since = clock.millis() - settings.window().toMillis();
        reader.assign(List.of(partition));
        OffsetAndTimestamp first = reader.offsetsForTimes(Map.of(partition, since)).get(partition);
        long start = first == null ? end : Math.min(first.offset(), end);
        reader.seek(partition, start);
        long deadline = System.nanoTime() + REBUILD_TIMEOUT.toNanos();
        int read = 0;
        while (reader.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read intake partition " + partition + " up to offset "
                        + end + " within " + REBUILD_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : reader.poll(POLL).records(partition)) {
                if (record.offset() >= end) {
                    break;
                }
                read++;
                read(record).ifPresent(r -> r.records().stream().map(Published::dedupId).filter(Objects::nonNull)
                        .forEach(id -> ids.firstTime(id, record.timestamp())));
            }
        }
        LOG.info("fan-out: took over intake partition {} at offset {}, remembering {} published ids from {} "
                + "intake records of the last {} s", partition, end, ids.size(), read, settings.window().toSeconds());
        return ids;
    }

    private SeenIds newSeenIds() {
        return new SeenIds(settings.window().toMillis(), settings.maxIds());
    }

    private void createIntakeTopic() {
        Map<String, Object> config = new HashMap<>();
        consumerBase.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(settings.intakeTopic(), Optional.of(settings.intakePartitions()),
                    Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            LOG.info("fan-out: created the intake topic {} with {} partition(s)", settings.intakeTopic(),
                    settings.intakePartitions());
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the intake topic " + settings.intakeTopic() + ": "
                        + e.getCause(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no broker answered when creating the intake topic", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(producerBase);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // records are sent as they are read, while the transaction stays open: a few milliseconds let each
        // partition's records of a poll leave in one batch instead of one or two at a time
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** The group's consumer, or with {@code groupId} null the reader that rebuilds the ids. */
    private Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>(consumerBase);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            // static membership: a session that starts over after a failure gets its partitions back at once,
            // instead of waiting for its own previous membership to time out (45 s by default)
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.transactionalId());
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            // the worker polls without pause while a transaction is open; without these, the broker answers
            // each fetch as soon as one intake record is there, a fetch per request
            config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        } else {
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    private static ProducerRecord<String, byte[]> producerRecord(Published published) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(published.topic(), published.key(), published.value());
        published.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** An intake record that cannot be published, raw, with the reason. */
    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> intake) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(settings.deadLetterTopic(), intake.key(), intake.value());
        for (Header header : intake.headers()) {
            record.headers().add(header);
        }
        record.headers().add(HookgateHeaders.REASON,
                RejectedRequestException.Reason.MALFORMED_BODY.code().getBytes(StandardCharsets.UTF_8));
        record.headers().add(HookgateHeaders.DETAIL,
                ("unreadable record on the intake topic " + settings.intakeTopic()).getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
