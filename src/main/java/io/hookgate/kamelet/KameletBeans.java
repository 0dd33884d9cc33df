package io.hookgate.kamelet;

import io.hookgate.camel.Answers;
import io.hookgate.camel.DeadLetterRecord;
import io.hookgate.camel.DescribeSkyvernRun;
import io.hookgate.camel.HeaderAllowList;
import io.hookgate.camel.HookgateMetrics;
import io.hookgate.camel.LimitDeadLetters;
import io.hookgate.camel.ReadRequest;
import io.hookgate.camel.RequireJson;
import io.hookgate.camel.SplitTolokaEvents;
import io.hookgate.intake.FanOut;
import io.hookgate.camel.VerifySkyvernSignature;
import io.hookgate.camel.VerifyTolokaSignature;
import io.hookgate.signature.SkyvernVerifier;
import io.hookgate.signature.TolokaVerifier;
import io.hookgate.toloka.TopicTemplate;
import io.hookgate.wire.HookgateHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The beans of the Kamelets {@code toloka-source} and {@code skyvern-source}
 * ({@code classpath:kamelets/*.kamelet.yaml}): each Kamelet instance creates its own in its template's
 * {@code beans:} section, so that two instances can hold different secrets and nothing depends on
 * hookgate's global {@code hookgate.*} settings or on {@code HookgateBeans}.
 *
 * <p>An instance first binds its parameters, as given, to a {@link Parameters} bean (Camel sets them
 * as bean properties: no value is parsed or split on the way, whatever characters a secret holds);
 * the factory methods here build the instance's processors from it. They are hookgate's own
 * processors ({@code io.hookgate.camel}), configured from the Kamelet's parameters instead of from
 * {@code hookgate.*} keys, with one difference: what a Kamelet emits is meant for any sink, so its
 * messages carry their headers as text (hookgate's routes write them as UTF-8 bytes for Kafka) and
 * never {@code kafka.OVERRIDE_TOPIC} (the sink picks the destination).
 *
 * <p>A bad parameter stops the route's creation with a message naming it, never quoting a secret.
 */
public final class KameletBeans {

    private static final Clock CLOCK = Clock.systemUTC();
    /** What a Kamelet emits per event or run: the records hookgate itself publishes (topics as its defaults). */
    private static final FanOut FAN_OUT = new FanOut(new TopicTemplate("toloka.{type}"), "skyvern.runs");

    private KameletBeans() {
    }

    /**
     * One Kamelet instance's parameters, as text, set by Camel from the template's
     * {@code beans: - name: parameters ... properties:}. A holder only: the factory methods check
     * and use the values, and nothing else reads them.
     */
    public static final class Parameters {

        private String secret;
        private String keyVersion;
        private String additionalSecret;
        private String additionalKeyVersion;
        private String apiKey;
        private String additionalApiKey;
        private String toleranceSeconds;
        private String maxBodyBytes;
        private String bodyReadTimeoutSeconds;
        private String retryAfterSeconds;
        private String deadLetterUri;
        private String deadLetterMaxPerSecond;
        private String deadLetterBurst;

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public void setKeyVersion(String keyVersion) {
            this.keyVersion = keyVersion;
        }

        public void setAdditionalSecret(String additionalSecret) {
            this.additionalSecret = additionalSecret;
        }

        public void setAdditionalKeyVersion(String additionalKeyVersion) {
            this.additionalKeyVersion = additionalKeyVersion;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public void setAdditionalApiKey(String additionalApiKey) {
            this.additionalApiKey = additionalApiKey;
        }

        public void setToleranceSeconds(String toleranceSeconds) {
            this.toleranceSeconds = toleranceSeconds;
        }

        public void setMaxBodyBytes(String maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public void setBodyReadTimeoutSeconds(String bodyReadTimeoutSeconds) {
            this.bodyReadTimeoutSeconds = bodyReadTimeoutSeconds;
        }

        public void setRetryAfterSeconds(String retryAfterSeconds) {
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public void setDeadLetterUri(String deadLetterUri) {
            this.deadLetterUri = deadLetterUri;
        }

        public void setDeadLetterMaxPerSecond(String deadLetterMaxPerSecond) {
            this.deadLetterMaxPerSecond = deadLetterMaxPerSecond;
        }

        public void setDeadLetterBurst(String deadLetterBurst) {
            this.deadLetterBurst = deadLetterBurst;
        }

        /** Never the values: some are secrets. */
        @Override
        public String toString() {
            return "KameletBeans.Parameters";
        }
    }

    /** {@code readRequest} of {@code toloka-source}: request id, raw body bytes, size limit. */
    public static Processor tolokaRequest(Parameters parameters) {
        return request("toloka", List.of(HookgateHeaders.TOLOKA_SIGNATURE), parameters);
    }

    /** {@code readRequest} of {@code skyvern-source}. */
    public static Processor skyvernRequest(Parameters parameters) {
        return request("skyvern", List.of(HookgateHeaders.SKYVERN_SIGNATURE, HookgateHeaders.SKYVERN_TIMESTAMP),
                parameters);
    }

    /** 415 unless the body is declared as JSON. */
    public static Processor requireJson() {
        return new RequireJson();
    }

    /**
     * {@code Toloka-Signature} against {@code secret} of {@code keyVersion}, and during a rotation also
     * {@code additionalSecret} of {@code additionalKeyVersion}.
     */
    public static Processor tolokaSignature(Parameters parameters) {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        secrets.put(keyVersion(parameters.keyVersion, "keyVersion"), secret(parameters.secret, "secret"));
        boolean rotating = !isBlank(parameters.additionalSecret);
        if (rotating != !isBlank(parameters.additionalKeyVersion)) {
            throw new IllegalArgumentException(
                    "Kamelet parameters additionalSecret and additionalKeyVersion go together: set both or neither");
        }
        if (rotating) {
            String version = keyVersion(parameters.additionalKeyVersion, "additionalKeyVersion");
            if (secrets.containsKey(version)) {
                throw new IllegalArgumentException("Kamelet parameter additionalKeyVersion must differ from keyVersion");
            }
            secrets.put(version, secret(parameters.additionalSecret, "additionalSecret"));
        }
        return new VerifyTolokaSignature(new TolokaVerifier(secrets, tolerance(parameters), CLOCK));
    }

    /** {@code x-skyvern-signature} against {@code apiKey}, and {@code additionalApiKey} when set. */
    public static Processor skyvernSignature(Parameters parameters) {
        List<byte[]> keys = new ArrayList<>();
        keys.add(secret(parameters.apiKey, "apiKey"));
        if (!isBlank(parameters.additionalApiKey)) {
            keys.add(secret(parameters.additionalApiKey, "additionalApiKey"));
        }
        return new VerifySkyvernSignature(new SkyvernVerifier(keys, tolerance(parameters), CLOCK));
    }

    /** A verified batch becomes a list of messages, one per event, for the template's {@code split}. */
    public static Processor tolokaEvents() {
        return new SinkNeutral(new SplitTolokaEvents(FAN_OUT));
    }

    /** A verified run webhook becomes the message to emit: raw body, key and run headers. */
    public static Processor skyvernRun() {
        return new SinkNeutral(new DescribeSkyvernRun(FAN_OUT));
    }

    /** A refused request becomes its dead-letter message: raw body, reason and request headers. */
    public static Processor deadLetterRecord() {
        return new SinkNeutral(new DeadLetterRecord());
    }

    /**
     * The dead-letter limit of this instance: at most {@code deadLetterMaxPerSecond} records a second
     * to {@code deadLetterUri} (0 = no limit), bursts of {@code deadLetterBurst}; beyond it the record
     * is dropped and counted, the sender still answered. No limit without a dead-letter URI: nothing
     * is written then anyway.
     */
    public static Processor limitDeadLetters(Parameters parameters) {
        long maxPerSecond = number(parameters.deadLetterMaxPerSecond, "deadLetterMaxPerSecond", 0, 1_000_000);
        long burst = number(parameters.deadLetterBurst, "deadLetterBurst", 1, 10_000_000);
        long limit = isBlank(parameters.deadLetterUri) ? 0 : maxPerSecond;
        return new Metered(metrics -> LimitDeadLetters.of(limit, burst, System::nanoTime, metrics,
                "deadLetterMaxPerSecond", "deadLetterBurst"));
    }

    /** 200 {@code {"status":"accepted","events":N,...}} once the sink took every message. */
    public static Processor answerAccepted() {
        return new Metered(Answers::accepted);
    }

    /** The rejection's 4xx, once the dead-letter URI (if any) took the request. */
    public static Processor answerRejected() {
        return new Metered(Answers::rejected);
    }

    /** 503 with {@code Retry-After} when the sink (or the dead-letter URI) failed: the sender retries. */
    public static Processor answerUnavailable(Parameters parameters) {
        Duration retryAfter = Duration.ofSeconds(number(parameters.retryAfterSeconds, "retryAfterSeconds", 1, 3600));
        return new Metered(metrics -> Answers.unavailable(retryAfter, metrics));
    }

    /** The only headers an answer carries: Content-Type, Retry-After, hookgate-request-id, Connection. */
    public static HeaderFilterStrategy answerHeaders() {
        return HeaderAllowList.httpAnswers();
    }

    private static Processor request(String source, List<String> signatureHeaders, Parameters parameters) {
        return new ReadRequest(source, signatureHeaders,
                number(parameters.maxBodyBytes, "maxBodyBytes", 1, Integer.MAX_VALUE - 8),
                Duration.ofSeconds(number(parameters.bodyReadTimeoutSeconds, "bodyReadTimeoutSeconds", 1, 3600)),
                CLOCK);
    }

    private static Duration tolerance(Parameters parameters) {
        return Duration.ofSeconds(number(parameters.toleranceSeconds, "toleranceSeconds", 0, 366L * 24 * 3600));
    }

    private static long number(String value, String parameter, long min, long max) {
        try {
            long number = Long.parseLong(Objects.requireNonNullElse(value, "").trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(
                "Kamelet parameter " + parameter + " must be a whole number between " + min + " and " + max);
    }

    private static String keyVersion(String value, String parameter) {
        String version = Objects.requireNonNullElse(value, "").trim();
        if (!version.matches("0|[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("Kamelet parameter " + parameter
                    + " must be a Toloka key version: 1 to 9 digits, no leading zero");
        }
        return version;
    }

    /** A secret as configured (not trimmed: a space may belong to it); the message never quotes it. */
    private static byte[] secret(String value, String parameter) {
        if (isBlank(value)) {
            throw new IllegalArgumentException("Kamelet parameter " + parameter + " must not be empty");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * Runs one of hookgate's processors, then makes the message(s) it produced fit any sink: the
     * headers it wrote as UTF-8 bytes become text, and {@code kafka.OVERRIDE_TOPIC} goes. When the
     * body is a list of messages (a split Toloka batch), each of them is treated.
     */
    private static final class SinkNeutral implements Processor {

        private final Processor delegate;

        SinkNeutral(Processor delegate) {
            this.delegate = delegate;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            delegate.process(exchange);
            Message message = exchange.getMessage();
            if (message.getBody() instanceof List<?> parts) {
                for (Object part : parts) {
                    if (part instanceof Message event) {
                        neutral(event);
                    }
                }
            } else {
                neutral(message);
            }
        }

        private static void neutral(Message message) {
            message.removeHeader(KafkaConstants.OVERRIDE_TOPIC);
            message.getHeaders().replaceAll((name, value) ->
                    value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value);
        }
    }

    /**
     * One of hookgate's answers, with hookgate's metrics in the registry of the exchange's context
     * (a Kamelet's beans are created without one), bound at the first request.
     */
    private static final class Metered implements Processor {

        private final Function<HookgateMetrics, Processor> answer;
        private volatile Processor bound;

        Metered(Function<HookgateMetrics, Processor> answer) {
            this.answer = answer;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            Processor processor = bound;
            if (processor == null) {
                synchronized (this) {
                    processor = bound;
                    if (processor == null) {
                        bound = processor = answer.apply(new HookgateMetrics(exchange.getContext()));
                    }
                }
            }
            processor.process(exchange);
        }
    }
}
