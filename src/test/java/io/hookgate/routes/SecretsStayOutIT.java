package io.hookgate.routes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.MutableClock;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import io.hookgate.totp.TotpGenerator;
import io.hookgate.totp.TotpKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path with known secrets, hookgate's and Camel's loggers at DEBUG: two Toloka key versions,
 * a Skyvern API key, TOTP keys in both forms (an {@code otpauth://} URI and a bare Base32 secret) and a
 * relayed code. Every kind of request goes through (accepted, refused for each reason, polls answered
 * and refused), then everything hookgate wrote is searched: every log event (message, context,
 * exception with its causes), every dead-letter and poll record (key, value, every header) and the
 * metrics. No secret may be there in any encoding, nor any code hookgate handed out.
 */
class SecretsStayOutIT {

    static final String TOLOKA_V1 = "toloka-v1-Xq7pLm2Vb";
    static final String TOLOKA_V2 = "toloka-v2-Rt9wKz4Nc";
    static final String SKYVERN_KEY = "sk-skyvern-Jh3nB8Fd";
    /** The TOTP keys' raw bytes are text, so that a raw leak is searchable too. */
    static final String TOTP_URI_RAW = "totp-uri-Pz6yQe1";
    static final String TOTP_BARE_RAW = "totp-bare-Wq5dTs8";
    static final String RELAYED_CODE = "relay-K7Q2M-9931";
    static final String DEAD_LETTER = "hookgate.dead-letter";
    static final String POLLS = "skyvern.totp-polls";
    static final String RELAY = "skyvern.totp-codes";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.now());
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String totpUri = "otpauth://totp/Example:uri-login?secret=" + base32(TOTP_URI_RAW)
            + "&algorithm=SHA256&digits=8&period=30&issuer=Example";
    private final String totpBare = base32(TOTP_BARE_RAW);
    private final Capture logs = new Capture();
    private HookgateInstance hookgate;
    private java.net.URI testConfiguration;

    @BeforeEach
    void captureAllLogsAtDebug() throws Exception {
        logs.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        testConfiguration = context.getConfigLocation();
        // the logging configuration hookgate ships, not the tests' own
        context.setConfigLocation(HookgateInstance.class.getResource("/log4j2.xml").toURI());
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(logs);
        List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
        loggers.add(configuration.getRootLogger());
        for (LoggerConfig logger : loggers) { // root and any with appenders of their own
            new ArrayList<>(logger.getAppenders().keySet()).forEach(logger::removeAppender); // captured, not printed
            if (logger == configuration.getRootLogger() || !logger.isAdditive()) {
                logger.addAppender(logs, Level.ALL, null);
            }
        }
        context.updateLoggers();
        Configurator.setLevel("io.hookgate", Level.DEBUG);
        Configurator.setLevel("org.apache.camel", Level.DEBUG);
    }

    @AfterEach
    void stopCapturing() {
        if (hookgate != null) {
            hookgate.close();
        }
        ((LoggerContext) LogManager.getContext(false)).setConfigLocation(testConfiguration);
        logs.stop();
    }

    @Test
    void shouldKeepEverySecretAndCodeOutOfLogsDeadLettersPollRecordsAndMetrics() throws Exception {
        String events = "secrets-" + run;
        try (TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER, POLLS,
                events + ".assignment-approved")) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("hookgate.toloka.secrets.1", TOLOKA_V1);
            properties.put("hookgate.toloka.secrets.2", TOLOKA_V2);
            properties.put("hookgate.skyvern.api-keys", SKYVERN_KEY);
            properties.put("hookgate.skyvern.totp.uri-login", totpUri);
            properties.put("hookgate.skyvern.totp.bare-login", totpBare);
            properties.put("hookgate.http.max-body-bytes", "2000");
            properties.put("hookgate.toloka.topic-template", events + ".{type}");
            hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), properties, clock);

            List<String> codes = new ArrayList<>(List.of(RELAYED_CODE));
            int deadLetters = runTheWholePath(codes);

            reader.awaitRecords(events + ".assignment-approved", 2, WAIT);
            List<ConsumerRecord<String, byte[]>> refused = reader.awaitRecords(DEAD_LETTER, deadLetters, WAIT);
            List<ConsumerRecord<String, byte[]>> polls = reader.recordsSoFar(POLLS, Duration.ofSeconds(1));
            assertTrue(polls.size() >= 3, "every answered poll recorded: " + polls.size());
            String metrics = hookgate.management("/observe/metrics").body();

            Map<String, String> everything = new LinkedHashMap<>();
            everything.put("the log", logs.text());
            everything.put("the dead-letter records", records(refused));
            everything.put("the poll records", records(polls));
            everything.put("the metrics", metrics);
            assertDemanding(everything);
            everything.forEach(this::assertNoSecretIn);
            everything.forEach((where, text) -> assertNoCodeIn(where, text, codes));
        }
    }

    /** Every kind of request; returns how many dead-letter records they make, and adds the codes answered. */
    private int runTheWholePath(List<String> codes) {
        TolokaSigner v1 = new TolokaSigner("1", TOLOKA_V1.getBytes(UTF_8));
        TolokaSigner v2 = new TolokaSigner("2", TOLOKA_V2.getBytes(UTF_8));
        byte[] batch = batch("secrets-1");
        assertEquals(200, toloka(batch, v1.signatureHeader(batch, clock.millis())).statusCode());
        byte[] rotated = batch("secrets-2");
        assertEquals(200, toloka(rotated, v2.signatureHeader(rotated, clock.millis())).statusCode());

        byte[] forged = batch("forged");
        assertEquals(401, toloka(forged, new TolokaSigner("1", "not-the-secret".getBytes(UTF_8))
                .signatureHeader(forged, clock.millis())).statusCode());
        assertEquals(401, toloka(forged, new TolokaSigner("7", TOLOKA_V1.getBytes(UTF_8))
                .signatureHeader(forged, clock.millis())).statusCode(), "unknown key version");
        byte[] malformed = "{\"events\":\"not a list\"}".getBytes(UTF_8);
        assertEquals(400, toloka(malformed, v1.signatureHeader(malformed, clock.millis())).statusCode());
        byte[] large = ("{\"events\":[],\"padding\":\"" + "x".repeat(3000) + "\"}").getBytes(UTF_8);
        assertEquals(413, toloka(large, v1.signatureHeader(large, clock.millis())).statusCode());

        SkyvernSigner skyvern = new SkyvernSigner(SKYVERN_KEY.getBytes(UTF_8));
        byte[] runBody = ("{\"run_id\":\"run-" + run + "\",\"run_type\":\"task_v1\",\"status\":\"completed\"}")
                .getBytes(UTF_8);
        assertEquals(200, skyvern("/webhooks/skyvern", runBody, skyvern.signature(runBody)).statusCode());
        assertEquals(401, skyvern("/webhooks/skyvern", runBody,
                new SkyvernSigner("sk-wrong".getBytes(UTF_8)).signature(runBody)).statusCode());

        byte[] poll = "{\"task_id\":\"tsk_secrets\"}".getBytes(UTF_8);
        for (Map.Entry<String, String> login : Map.of("uri-login", totpUri, "bare-login", totpBare).entrySet()) {
            String expected = new TotpGenerator(TotpKey.parse(login.getValue()), clock).currentCode();
            assertEquals(expected, code(skyvern("/skyvern/totp/" + login.getKey(), poll, skyvern.signature(poll))),
                    "the code of " + login.getKey());
            codes.add(expected);
        }
        assertEquals(401, skyvern("/skyvern/totp/uri-login", poll, null).statusCode(), "an unsigned poll");

        // a login of this run only: other tests read the same relay topic from its start
        String mailLogin = "mail-" + run;
        publishRelayedCode(mailLogin, "{\"code\":\"" + RELAYED_CODE + "\"}");
        await().atMost(WAIT).until(() ->
                RELAYED_CODE.equals(code(skyvern("/skyvern/totp/" + mailLogin, poll, skyvern.signature(poll)))));
        return 6; // forged, unknown version, malformed, too large, bad Skyvern signature, unsigned poll
    }

    /** The searches must have something to search: DEBUG from both hookgate and Camel, every record. */
    private static void assertDemanding(Map<String, String> everything) {
        String log = everything.get("the log");
        assertTrue(log.contains("DEBUG org.apache.camel"), "Camel logs at DEBUG");
        assertTrue(log.contains("io.hookgate.requests"), "hookgate's request lines are captured");
        assertTrue(log.contains("outcome=code-answered"), "the polls went through");
        assertTrue(everything.get("the dead-letter records").contains("hookgate-reason=payload-too-large"));
        assertTrue(everything.get("the metrics").contains("hookgate_requests_total"));
    }

    private void assertNoSecretIn(String where, String text) {
        Map<String, byte[]> secrets = Map.of(
                "Toloka secret v1", TOLOKA_V1.getBytes(UTF_8),
                "Toloka secret v2", TOLOKA_V2.getBytes(UTF_8),
                "Skyvern API key", SKYVERN_KEY.getBytes(UTF_8),
                "TOTP key (otpauth URI)", TOTP_URI_RAW.getBytes(UTF_8),
                "TOTP key (Base32)", TOTP_BARE_RAW.getBytes(UTF_8));
        String lower = text.toLowerCase(Locale.ROOT);
        secrets.forEach((name, secret) -> {
            for (String form : forms(secret)) {
                if (lower.contains(form.toLowerCase(Locale.ROOT))) {
                    fail(name + " found in " + where + " (as " + form + "):\n" + around(text, form));
                }
            }
        });
        if (text.contains(totpUri)) {
            fail("the otpauth URI found in " + where);
        }
    }

    /** A code as a token of its own: not inside a longer word or number (a port, an offset, a decimal). */
    private static void assertNoCodeIn(String where, String text, List<String> codes) {
        for (String code : codes) {
            Pattern token = Pattern.compile("(?<![\\w.])" + Pattern.quote(code) + "(?!\\w|\\.\\d)");
            var found = token.matcher(text);
            if (found.find()) {
                fail("code " + code + " found in " + where + ":\n" + around(text, found.group()));
            }
        }
    }

    /** The raw text, hex, Base64 (standard, URL-safe, unpadded) and Base32 forms of a secret. */
    private static List<String> forms(byte[] secret) {
        String base64 = Base64.getEncoder().encodeToString(secret);
        return List.of(new String(secret, UTF_8), HexFormat.of().formatHex(secret), base64,
                base64.replace("=", ""), Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                base32(new String(secret, UTF_8)).replace("=", ""));
    }

    private static String around(String text, String found) {
        int at = text.toLowerCase(Locale.ROOT).indexOf(found.toLowerCase(Locale.ROOT));
        return at < 0 ? "" : text.substring(Math.max(0, at - 300), Math.min(text.length(), at + found.length() + 100));
    }

    /** Key, value and every header of every record. */
    private static String records(List<ConsumerRecord<String, byte[]>> records) {
        StringBuilder text = new StringBuilder();
        for (ConsumerRecord<String, byte[]> record : records) {
            text.append("key=").append(record.key()).append('\n');
            for (Header header : record.headers()) {
                text.append(header.key()).append('=')
                        .append(header.value() == null ? "" : new String(header.value(), UTF_8)).append('\n');
            }
            text.append(TopicReader.valueAsString(record)).append("\n\n");
        }
        return text.toString();
    }

    private HttpResponse<String> toloka(byte[] body, String signature) {
        return hookgate.post("/webhooks/toloka", body, "Content-Type", "application/json",
                "Toloka-Signature", signature);
    }

    private HttpResponse<String> skyvern(String path, byte[] body, String signature) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (signature != null) {
            headers.addAll(List.of("x-skyvern-signature", signature,
                    "x-skyvern-timestamp", Long.toString(clock.instant().getEpochSecond())));
        }
        return hookgate.post(path, body, headers.toArray(String[]::new));
    }

    private static String code(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        try {
            return JSON.readTree(answer.body()).get("verification_code").textValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] batch(String uuid) {
        return ("{\"events\":[{\"uuid\":\"" + uuid + "-" + UUID.randomUUID() + "\",\"pool_id\":\"pool-1\","
                + "\"assignment_id\":\"a-1\",\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
    }

    private static void publishRelayedCode(String identifier, String value) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(RELAY, identifier, value)).get();
        } catch (Exception e) {
            throw new AssertionError("could not publish the relayed code", e);
        }
    }

    /** RFC 4648 Base32 with padding, of the UTF-8 bytes of {@code text}. */
    private static String base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : text.getBytes(UTF_8)) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        while (out.length() % 8 != 0) {
            out.append('=');
        }
        return out.toString();
    }

    /** Every log event, formatted with its context data and the whole exception chain. */
    private static final class Capture extends AbstractAppender {

        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        Capture() {
            super("secrets-stay-out", null, PatternLayout.newBuilder()
                    .withPattern("%level %logger [%thread] %X %message%n%throwable{full}").build(),
                    true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(getLayout().toSerializable(event).toString());
        }

        String text() {
            return String.join("", lines);
        }
    }
}
