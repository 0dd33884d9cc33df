package io.hookgate.tools;

import io.hookgate.camel.Recheck;
import io.hookgate.camel.ReplayConfiguration;
import io.hookgate.intake.IntakeRecord;
import io.hookgate.intake.RecordHeaders;
import io.hookgate.wire.HookgateHeaders;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dead-letter replay: what an operator runs after fixing a wrong or rotated secret. Reads the
 * dead-letter topic from an offset or a time up to its end as of the start (so it terminates),
 * re-checks each record as the live path does with the keys configured now, ignoring the timestamp
 * window ({@link Recheck}), writes the intake record of each valid one, exactly the one the live path
 * would have written, and reports every record and a summary. The fan-out then publishes the events,
 * deduplicated as always: replaying twice, or replaying what was already published, publishes nothing
 * twice. It runs with hookgate's own configuration ({@link ReplayConfiguration}). See {@link #HELP}.
 */
public final class Replay {

    /** Everything valid was republished (records that still fail are in the report, not an error). */
    public static final int OK = 0;
    /** The dead-letter topic could not be read, or an intake record was not acknowledged. */
    public static final int KAFKA_ERROR = 1;
    /** Bad arguments or an unusable configuration. */
    public static final int USAGE = 2;

    static final String HELP = """
            Usage: Replay (--since INSTANT | --from-offset OFFSETS) [--until INSTANT] [--dry-run]

            Replays hookgate's dead-letter topic: re-verifies every record from the start point with the
            secrets configured now (the signature always, the timestamp window never), writes each valid
            one to the intake topic as hookgate would have, and reports each record and a summary.
            Runs with hookgate's configuration (application.properties, HOOKGATE_CONFIG, environment).

              --since INSTANT        from the first record written at or after INSTANT (ISO-8601, UTC,
                                     e.g. 2026-12-01T10:00:00Z), on every partition
              --from-offset OFFSETS  from an offset: N on every partition, or P:N[,P:N...] per partition
                                     (partitions not named are not read)
              --until INSTANT        stop at the first record written at or after INSTANT
              --dry-run              report what would be republished, write nothing

            Exit codes: 0 done (records that still fail are listed, not an error),
                        1 Kafka error (nothing more is written), 2 bad arguments or configuration.
            """;

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    /** The parsed command line. */
    record Options(Instant since, Map<Integer, Long> fromOffsets, Long allFromOffset, Instant until,
            boolean dryRun) {
    }

    /** What one run did: per verdict, the number of records. */
    public record Summary(int republished, int stillFailing, int skipped) {
    }

    private Replay() {
    }

    public static void main(String[] args) {
        // the report is the output; hookgate's logs go to stderr (log4j2.xml reads this before logging starts)
        System.setProperty("hookgate.log-target", "SYSTEM_ERR");
        System.exit(run(args, Map.of(), System.out, System.err));
    }

    /**
     * Runs the replay, as the command line does.
     *
     * @param overrides properties overriding hookgate's configuration (tests)
     * @return the exit code
     */
    public static int run(String[] args, Map<String, String> overrides, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            err.println(HELP);
            return USAGE;
        }
        if (options == null) {
            out.println(HELP);
            return OK;
        }
        ReplayConfiguration config;
        try {
            config = ReplayConfiguration.load(overrides);
        } catch (RuntimeException e) { // the messages name a key, never a value
            err.println("replay: " + e.getMessage());
            return USAGE;
        }
        try (config) {
            replay(options, config, out);
            return OK;
        } catch (KafkaException | ExecutionException e) {
            StringBuilder message = new StringBuilder("replay: Kafka error: ").append(e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                message.append(": ").append(cause.getMessage()); // Kafka's messages hide passwords
            }
            err.println(message);
            return KAFKA_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("replay: interrupted");
            return KAFKA_ERROR;
        }
    }

    static Options parse(String[] args) {
        Instant since = null;
        Instant until = null;
        String offsets = null;
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--since" -> since = instant("--since", value(args, ++i, "--since"));
                case "--until" -> until = instant("--until", value(args, ++i, "--until"));
                case "--from-offset" -> offsets = value(args, ++i, "--from-offset");
                case "--dry-run" -> dryRun = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if ((since == null) == (offsets == null)) {
            throw new IllegalArgumentException("give exactly one of --since and --from-offset");
        }
        if (offsets == null) {
            return new Options(since, Map.of(), null, until, dryRun);
        }
        if (!offsets.contains(":")) {
            return new Options(null, Map.of(), offset(offsets), until, dryRun);
        }
        Map<Integer, Long> perPartition = new TreeMap<>();
        for (String part : offsets.split(",")) {
            String[] pair = part.trim().split(":", -1);
            if (pair.length != 2) {
                throw new IllegalArgumentException("--from-offset: expected P:N, got " + part);
            }
            perPartition.put((int) Math.min(offset(pair[0]), Integer.MAX_VALUE), offset(pair[1]));
        }
        return new Options(null, perPartition, null, until, dryRun);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static Instant instant(String flag, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + ": not an ISO-8601 instant such as 2026-12-01T10:00:00Z");
        }
    }

    private static long offset(String text) {
        try {
            long n = Long.parseLong(text.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--from-offset: not an offset: " + text);
        }
    }

    static Summary replay(Options options, ReplayConfiguration config, PrintStream out)
            throws ExecutionException, InterruptedException {
        String topic = config.deadLetterTopic();
        Map<String, Object> consumerConfig = new HashMap<>(config.consumerConfig());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group, nothing committed
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Object> producerConfig = new HashMap<>(config.producerConfig());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        int republished = 0;
        int failing = 0;
        int skipped = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<String, byte[]> producer = options.dryRun() ? null : new KafkaProducer<>(producerConfig)) {
            Map<TopicPartition, Long> start = startOffsets(consumer, topic, options);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(start.keySet(), KAFKA_TIMEOUT));
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            out.printf("replaying %s, partitions %s, up to the end offsets %s%s%n", topic, new TreeMap<>(
                    describe(start)), new TreeMap<>(describe(end)), options.dryRun() ? " (dry run: writing nothing)" : "");
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            Map<TopicPartition, Long> remaining = new HashMap<>();
            start.forEach((partition, offset) -> {
                if (offset < end.get(partition)) {
                    remaining.put(partition, end.get(partition));
                }
            });
            consumer.pause(consumer.assignment().stream().filter(p -> !remaining.containsKey(p)).toList());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long stop = remaining.get(partition);
                    if (stop == null) {
                        continue;
                    }
                    if (record.offset() >= stop
                            || (options.until() != null && record.timestamp() >= options.until().toEpochMilli())) {
                        done(consumer, remaining, partition);
                        continue;
                    }
                    Recheck.Outcome outcome =
                            config.recheck().check(name -> RecordHeaders.text(record, name), record.value());
                    switch (outcome.verdict()) {
                        case REPUBLISH -> {
                            republished++;
                            if (producer != null) {
                                sent.add(producer.send(intakeRecord(config.intakeTopic(), outcome.intake())));
                            }
                        }
                        case STILL_FAILING -> failing++;
                        case SKIPPED -> skipped++;
                    }
                    if (outcome.reason() != null) {
                        reasons.merge(outcome.verdict().word() + " " + outcome.reason(), 1, Integer::sum);
                    }
                    out.printf("%d:%d %s %s %s%s%n", record.partition(), record.offset(),
                            orDash(RecordHeaders.text(record, HookgateHeaders.REQUEST_ID)),
                            orDash(RecordHeaders.text(record, HookgateHeaders.SOURCE)),
                            producer == null && outcome.intake() != null ? "to-republish" : outcome.verdict().word(),
                            outcome.reason() == null ? "" : " " + outcome.reason());
                    if (record.offset() + 1 >= stop) {
                        done(consumer, remaining, partition);
                    }
                }
                // a partition whose last records were transaction markers or compacted away
                for (TopicPartition partition : List.copyOf(remaining.keySet())) {
                    if (consumer.position(partition, KAFKA_TIMEOUT) >= remaining.get(partition)) {
                        done(consumer, remaining, partition);
                    }
                }
            }
            if (producer != null) {
                producer.flush();
                for (Future<RecordMetadata> future : sent) {
                    future.get(); // an intake record that was not acknowledged fails the run
                }
            }
        }
        out.printf("summary: %s %d, still-failing %d, skipped %d%s%n", options.dryRun() ? "to republish" : "republished",
                republished, failing, skipped, reasons.isEmpty() ? "" : "; " + reasons);
        return new Summary(republished, failing, skipped);
    }

    private static void done(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> remaining,
            TopicPartition partition) {
        remaining.remove(partition);
        consumer.pause(List.of(partition));
    }

    /** Where each partition starts, from the options. */
    private static Map<TopicPartition, Long> startOffsets(KafkaConsumer<String, byte[]> consumer, String topic,
            Options options) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("the dead-letter topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, Long> start = new LinkedHashMap<>();
        if (options.since() != null) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, options.since().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, KAFKA_TIMEOUT);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = found.get(p);
                start.put(p, at == null ? end.get(p) : at.offset()); // nothing that recent: nothing to read
            }
        } else if (options.allFromOffset() != null) {
            partitions.forEach(p -> start.put(p, options.allFromOffset()));
        } else {
            for (Map.Entry<Integer, Long> e : options.fromOffsets().entrySet()) {
                TopicPartition p = new TopicPartition(topic, e.getKey());
                if (!partitions.contains(p)) {
                    throw new KafkaException("the dead-letter topic " + topic + " has no partition " + e.getKey());
                }
                start.put(p, e.getValue());
            }
        }
        // an offset before the log start (retention) starts at the first record still there
        start.replaceAll((p, offset) -> Math.max(offset, beginning.get(p)));
        return start;
    }

    private static Map<Integer, Long> describe(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((p, offset) -> byPartition.put(p.partition(), offset));
        return byPartition;
    }

    private static ProducerRecord<String, byte[]> intakeRecord(String topic, IntakeRecord intake) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, intake.key(), intake.body());
        intake.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
