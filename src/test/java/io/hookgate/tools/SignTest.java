package io.hookgate.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.hookgate.camel.HookgateBeans;
import io.hookgate.signature.SkyvernVerifier;
import io.hookgate.signature.TolokaSignatureHeader;
import io.hookgate.signature.TolokaVerifier;
import io.hookgate.signature.VerificationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signer CLI against a real HTTP server on a free port: every request it sends is checked with
 * hookgate's own verifiers over the bytes the server received.
 */
class SignTest {

    private static final String TOLOKA_SECRET = "toloka-secret-v1-Zoë";
    private static final String TOLOKA_SECRET_2 = "toloka-secret-v2";
    private static final String SKYVERN_KEY = "sk_live_first";
    private static final String SKYVERN_KEY_2 = "sk_live_second";
    private static final List<String> SECRETS = List.of(TOLOKA_SECRET, TOLOKA_SECRET_2, SKYVERN_KEY,
            SKYVERN_KEY_2, HookgateBeans.DEV_TOLOKA_SECRET, HookgateBeans.DEV_SKYVERN_API_KEY);

    private static final String BATCH = "{\"events\":[{\"event_time\":\"2026-11-23T12:00:00\",\"project_id\":\"project-1\","
            + "\"pool_id\":\"pool-1\",\"uuid\":\"6f1c1d3e-0000-4000-8000-000000000001\",\"task_suite_id\":\"task-suite-1\","
            + "\"assignment_id\":\"assignment-1\",\"webhook_subscription_id\":\"subscription-1\","
            + "\"type\":\"ASSIGNMENT_APPROVED\"}]}";
    /** Non-ASCII, a quote, a CRLF inside and a trailing newline: every byte must survive. */
    private static final String AWKWARD = "{\"events\":[{\"type\":\"TEST_EVENT\",\"pool_id\":\"pool-1\","
            + "\"comment\":\"it's Zoë in 東京 \\u00e9\",\r\n\"n\":1.50}]}\n";

    private record Captured(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private record Result(int status, String out, String err) {
    }

    private final List<Captured> captured = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger answerStatus = new AtomicInteger(200);
    private HttpServer server;
    private String base;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            captured.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            int status = answerStatus.get();
            byte[] answer = (status == 200 ? "{\"status\":\"accepted\",\"events\":1}"
                    : "{\"error\":\"signature-mismatch\"}").getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    // ---------------------------------------------------------------- Toloka

    @Test
    void shouldSendATolokaBatchThatHookgatesVerifierAccepts() throws Exception {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url", base + "/webhooks/toloka", "--data", BATCH);

        assertEquals(0, r.status, r.err);
        assertEquals("HTTP/1.1 200 OK\n{\"status\":\"accepted\",\"events\":1}\n", r.out);
        assertTrue(r.err.contains("HOOKGATE_TOLOKA_SECRETS_1"), r.err);
        Captured c = only();
        assertEquals("POST", c.method);
        assertEquals("/webhooks/toloka", c.path);
        assertEquals("application/json", c.header("Content-Type"));
        assertArrayEquals(BATCH.getBytes(UTF_8), c.body);
        TolokaSignatureHeader header = tolokaVerifier("1", TOLOKA_SECRET).verify(c.header("Toloka-Signature"), c.body);
        assertEquals("1", header.keyVersion());
        assertTrue(c.header("Toloka-Signature").matches("\\{v=1, ts=\\d{13}, sign=[0-9a-f]{64}}"),
                c.header("Toloka-Signature"));
    }

    @Test
    void shouldStampTheCurrentTimeInMillisecondsByDefault() throws Exception {
        long before = System.currentTimeMillis();
        sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null, "toloka", "--url", base, "--data", BATCH);
        long after = System.currentTimeMillis();

        long ts = TolokaSignatureHeader.parse(only().header("Toloka-Signature")).timestampMillis();
        assertTrue(ts >= before && ts <= after, ts + " not in [" + before + ", " + after + "]");
    }

    @Test
    void shouldUseTheGivenTimestamp() throws Exception {
        sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url=" + base, "--timestamp-ms=946728000000", "--data", BATCH);

        Captured c = only();
        assertEquals(946_728_000_000L, TolokaSignatureHeader.parse(c.header("Toloka-Signature")).timestampMillis());
        tolokaVerifier("1", TOLOKA_SECRET).verifyIgnoringTimestamp(c.header("Toloka-Signature"), c.body);
        VerificationException stale = assertThrows(VerificationException.class,
                () -> tolokaVerifier("1", TOLOKA_SECRET).verify(c.header("Toloka-Signature"), c.body));
        assertEquals(VerificationException.Reason.TIMESTAMP_OUT_OF_WINDOW, stale.reason());
    }

    @Test
    void shouldReproduceTolokasDocumentedExample() {
        // CONTRACTS.md: secret 12345, v=1, ts=946728000000, the compact 273-byte body.
        String body = "{\"events\":[{\"event_time\":\"2000-01-01T12:00:00\",\"project_id\":\"project-1\","
                + "\"pool_id\":\"pool-1\",\"uuid\":\"00000000-0000-0000-0000-000000000000\","
                + "\"task_suite_id\":\"task-suite-1\",\"assignment_id\":\"assignment-1\","
                + "\"webhook_subscription_id\":\"subscription-1\",\"type\":\"ASSIGNMENT_APPROVED\"}]}";
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", "12345"), null,
                "toloka", "--curl", "--timestamp-ms", "946728000000", "--data", body);

        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("-H 'Toloka-Signature: {v=1, ts=946728000000, "
                + "sign=609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb}'"), r.out);
        assertTrue(r.out.startsWith("curl -sS -i http://localhost:8080/webhooks/toloka \\\n"), r.out);
        assertFalse(r.out.contains("12345") || r.err.contains("12345"), r.out + r.err);
    }

    @Test
    void shouldPickTheSecretAndTheVOfTheKeyVersion() throws Exception {
        Map<String, String> env = Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET,
                "HOOKGATE_TOLOKA_SECRETS_2", TOLOKA_SECRET_2);
        Result r = sign(env, null, "toloka", "--url", base, "--key-version", "2", "--data", BATCH);

        assertEquals(0, r.status, r.err);
        assertTrue(r.err.contains("HOOKGATE_TOLOKA_SECRETS_2"), r.err);
        Captured c = only();
        assertEquals("2", tolokaVerifier("2", TOLOKA_SECRET_2).verify(c.header("Toloka-Signature"), c.body).keyVersion());
        VerificationException wrongSecret = assertThrows(VerificationException.class,
                () -> tolokaVerifier("2", TOLOKA_SECRET).verify(c.header("Toloka-Signature"), c.body));
        assertEquals(VerificationException.Reason.SIGNATURE_MISMATCH, wrongSecret.reason());
        VerificationException versionOneOnly = assertThrows(VerificationException.class,
                () -> tolokaVerifier("1", TOLOKA_SECRET_2).verify(c.header("Toloka-Signature"), c.body));
        assertEquals(VerificationException.Reason.UNKNOWN_KEY_VERSION, versionOneOnly.reason());
    }

    // ---------------------------------------------------------------- exact bytes

    @Test
    void shouldSignAndSendTheFileByteForByte() throws Exception {
        Path file = dir.resolve("awkward.json");
        Files.write(file, AWKWARD.getBytes(UTF_8));

        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url", base, "--file", file.toString());

        assertEquals(0, r.status, r.err);
        assertExactToloka(AWKWARD.getBytes(UTF_8), only());
    }

    @Test
    void shouldSignAndSendStandardInputByteForByte() throws Exception {
        byte[] body = concat(AWKWARD.getBytes(UTF_8), new byte[] {(byte) 0xff, '\n'}); // not even UTF-8

        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), body, "toloka", "--url", base, "-");

        assertEquals(0, r.status, r.err);
        assertExactToloka(body, only());
    }

    @Test
    void shouldSignAndSendDataAsItsUtf8() throws Exception {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url", base, "--data", AWKWARD);

        assertEquals(0, r.status, r.err);
        assertExactToloka(AWKWARD.getBytes(UTF_8), only());
    }

    @Test
    void shouldRefuseDataThatTheLocaleCouldNotDecode() {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url", base, "--data", "{\"name\":\"Zo\uFFFD\"}");

        assertEquals(2, r.status);
        assertTrue(r.err.contains("--file"), r.err);
        assertTrue(captured.isEmpty());
    }

    private static void assertExactToloka(byte[] expected, Captured c) throws VerificationException {
        assertArrayEquals(expected, c.body);
        tolokaVerifier("1", TOLOKA_SECRET).verify(c.header("Toloka-Signature"), c.body);
        // The trailing newline is signed: without it the signature fails.
        VerificationException trimmed = assertThrows(VerificationException.class, () -> tolokaVerifier("1", TOLOKA_SECRET)
                .verify(c.header("Toloka-Signature"), Arrays.copyOf(c.body, c.body.length - 1)));
        assertEquals(VerificationException.Reason.SIGNATURE_MISMATCH, trimmed.reason());
    }

    // ---------------------------------------------------------------- Skyvern

    @Test
    void shouldSendASkyvernRunWebhookSignedWithTheFirstKey() throws Exception {
        String body = "{\"run_id\":\"tsk_1\",\"status\":\"completed\",\"extracted_information\":{\"city\":\"東京\"}}";
        long before = System.currentTimeMillis() / 1000;
        Result r = sign(Map.of("HOOKGATE_SKYVERN_API_KEYS", " , " + SKYVERN_KEY + " ," + SKYVERN_KEY_2), null,
                "skyvern", "--url", base + "/webhooks/skyvern", "--data", body);
        long after = System.currentTimeMillis() / 1000;

        assertEquals(0, r.status, r.err);
        assertTrue(r.out.startsWith("HTTP/1.1 200 OK\n"), r.out);
        Captured c = only();
        assertEquals("/webhooks/skyvern", c.path);
        assertEquals("application/json", c.header("Content-Type"));
        assertArrayEquals(body.getBytes(UTF_8), c.body);
        long ts = Long.parseLong(c.header("x-skyvern-timestamp"));
        assertTrue(ts >= before && ts <= after, ts + " not in [" + before + ", " + after + "]");
        new SkyvernVerifier(List.of(SKYVERN_KEY.getBytes(UTF_8)), Duration.ofSeconds(60), Clock.systemUTC())
                .verify(c.header("x-skyvern-signature"), c.header("x-skyvern-timestamp"), c.body);
        assertThrows(VerificationException.class, () -> skyvernVerifier(SKYVERN_KEY_2)
                .verify(c.header("x-skyvern-signature"), null, c.body));
    }

    @Test
    void shouldSendASkyvernTotpPollWithTheGivenTimestamp() throws Exception {
        byte[] body = "{\"task_id\":\"tsk_123456\"}".getBytes(UTF_8);
        Result r = sign(Map.of("HOOKGATE_SKYVERN_API_KEYS", SKYVERN_KEY), body,
                "skyvern", "-", "--timestamp-s", "1700000000", "--url", base + "/skyvern/totp/demo-login");

        assertEquals(0, r.status, r.err);
        Captured c = only();
        assertEquals("/skyvern/totp/demo-login", c.path);
        assertEquals("1700000000", c.header("x-skyvern-timestamp"));
        assertArrayEquals(body, c.body);
        skyvernVerifier(SKYVERN_KEY).verify(c.header("x-skyvern-signature"), c.header("x-skyvern-timestamp"), c.body);
    }

    @Test
    void shouldDefaultToTheLocalWebhookPaths() {
        Result toloka = sign(Map.of(), null, "toloka", "--dev", "--curl", "--data", "{}");
        Result skyvern = sign(Map.of(), null, "skyvern", "--dev", "--curl", "--data", "{}");

        assertTrue(toloka.out.startsWith("curl -sS -i http://localhost:8080/webhooks/toloka \\\n"), toloka.out);
        assertTrue(skyvern.out.startsWith("curl -sS -i http://localhost:8080/webhooks/skyvern \\\n"), skyvern.out);
    }

    // ---------------------------------------------------------------- dev mode

    @Test
    void shouldKeepTheDevSecretsEqualToHookgates() {
        assertEquals(HookgateBeans.DEV_TOLOKA_SECRET, Sign.DEV_TOLOKA_SECRET);
        assertEquals(HookgateBeans.DEV_SKYVERN_API_KEY, Sign.DEV_SKYVERN_API_KEY);
    }

    @Test
    void shouldSignWithTheDevSecretsAndSaySo() throws Exception {
        // --dev wins over the environment, and says so.
        Result toloka = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--dev", "--url", base, "--data", BATCH);
        Result skyvern = sign(Map.of(), null, "skyvern", "--dev", "--url", base, "--data", "{\"task_id\":\"t\"}");

        assertEquals(0, toloka.status, toloka.err);
        assertEquals(0, skyvern.status, skyvern.err);
        assertTrue(toloka.err.contains("dev-mode"), toloka.err);
        assertTrue(skyvern.err.contains("dev-mode"), skyvern.err);
        assertEquals(2, captured.size());
        Captured t = captured.get(0);
        tolokaVerifier("1", HookgateBeans.DEV_TOLOKA_SECRET).verify(t.header("Toloka-Signature"), t.body);
        Captured s = captured.get(1);
        skyvernVerifier(HookgateBeans.DEV_SKYVERN_API_KEY).verify(s.header("x-skyvern-signature"), null, s.body);
    }

    @Test
    void shouldRefuseDevWithAnotherKeyVersion() {
        Result r = sign(Map.of(), null, "toloka", "--dev", "--key-version", "2", "--url", base, "--data", BATCH);

        assertEquals(2, r.status);
        assertTrue(r.err.contains("key version 1"), r.err);
        assertTrue(captured.isEmpty());
    }

    // ---------------------------------------------------------------- missing secrets

    @ParameterizedTest
    @MethodSource("missingSecrets")
    void shouldNameTheMissingVariable(Map<String, String> env, List<String> args, String variable) {
        Result r = sign(env, null, withUrl(args));

        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains(variable + " is not set"), r.err);
        assertFalse(r.err.contains("Usage:"), r.err); // not a usage error: the command line was fine
        assertTrue(captured.isEmpty());
    }

    static Stream<Arguments> missingSecrets() {
        return Stream.of(
                Arguments.of(Map.of(), List.of("toloka", "--data", BATCH), "HOOKGATE_TOLOKA_SECRETS_1"),
                Arguments.of(Map.of("HOOKGATE_TOLOKA_SECRETS_1", "   "), List.of("toloka", "--data", BATCH),
                        "HOOKGATE_TOLOKA_SECRETS_1"),
                Arguments.of(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET),
                        List.of("toloka", "--key-version", "7", "--data", BATCH), "HOOKGATE_TOLOKA_SECRETS_7"),
                Arguments.of(Map.of(), List.of("skyvern", "--data", "{}"), "HOOKGATE_SKYVERN_API_KEYS"),
                Arguments.of(Map.of("HOOKGATE_SKYVERN_API_KEYS", " , ,"), List.of("skyvern", "--data", "{}"),
                        "HOOKGATE_SKYVERN_API_KEYS"),
                Arguments.of(Map.of(), List.of("skyvern", "--curl", "--data", "{}"), "HOOKGATE_SKYVERN_API_KEYS"));
    }

    @Test
    void shouldHintAtTheKeyVersionsThatAreSet() {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_3", TOLOKA_SECRET), null, "toloka", "--data", BATCH);

        assertEquals(2, r.status);
        assertTrue(r.err.contains("HOOKGATE_TOLOKA_SECRETS_1 is not set"), r.err);
        assertTrue(r.err.contains("HOOKGATE_TOLOKA_SECRETS_3"), r.err);
    }

    // ---------------------------------------------------------------- exit codes

    @Test
    void shouldExitOneOnARefusal() {
        answerStatus.set(401);

        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null, "toloka", "--url", base, "--data", BATCH);

        assertEquals(1, r.status);
        assertEquals("HTTP/1.1 401 Unauthorized\n{\"error\":\"signature-mismatch\"}\n", r.out);
    }

    @Test
    void shouldExitOneOnAnUnavailableAnswer() {
        answerStatus.set(503);

        Result r = sign(Map.of("HOOKGATE_SKYVERN_API_KEYS", SKYVERN_KEY), null, "skyvern", "--url", base, "--data", "{}");

        assertEquals(1, r.status);
        assertTrue(r.out.startsWith("HTTP/1.1 503 Service Unavailable\n"), r.out);
    }

    @Test
    void shouldExitOneWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url", "http://127.0.0.1:" + port + "/webhooks/toloka", "--data", BATCH);

        assertEquals(1, r.status);
        assertTrue(r.err.contains("could not POST to http://127.0.0.1:" + port), r.err);
        assertEquals("", r.out);
    }

    @Test
    void shouldExitTwoOnAnUnreadableFile() {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--url", base, "--file", dir.resolve("missing.json").toString());

        assertEquals(2, r.status);
        assertTrue(r.err.contains("cannot read " + dir.resolve("missing.json")), r.err);
        assertTrue(captured.isEmpty());
    }

    // ---------------------------------------------------------------- usage

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void shouldPrintTheUsageAndExitTwoOnABadCommandLine(List<String> args, String message) {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET, "HOOKGATE_SKYVERN_API_KEYS", SKYVERN_KEY),
                null, args.toArray(String[]::new));

        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains(message), r.err);
        assertTrue(r.err.contains("Usage: "), r.err);
        assertEquals("", r.out);
        assertTrue(captured.isEmpty());
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of(), "toloka or skyvern"),
                Arguments.of(List.of("stripe", "--data", "{}"), "unknown provider 'stripe'"),
                Arguments.of(List.of("toloka"), "no body"),
                Arguments.of(List.of("toloka", "--data", "{}", "-"), "exactly one body"),
                Arguments.of(List.of("toloka", "--data", "{}", "--file", "x.json"), "exactly one body"),
                Arguments.of(List.of("toloka", "--data", "{}", "--data", "{}"), "--data is given twice"),
                Arguments.of(List.of("toloka", "--data", "{}", "--secret", "s"), "unknown option --secret"),
                Arguments.of(List.of("toloka", "--data", "{}", "--curl=yes"), "--curl takes no value"),
                Arguments.of(List.of("toloka", "{}"), "unexpected argument"),
                Arguments.of(List.of("toloka", "--data"), "--data needs a value"),
                Arguments.of(List.of("toloka", "--data", "{}", "--key-version", "01"), "--key-version must be"),
                Arguments.of(List.of("toloka", "--data", "{}", "--key-version", "v1"), "--key-version must be"),
                Arguments.of(List.of("toloka", "--data", "{}", "--key-version", "1234567890"), "--key-version must be"),
                Arguments.of(List.of("skyvern", "--data", "{}", "--key-version", "2"), "for toloka only"),
                Arguments.of(List.of("toloka", "--data", "{}", "--timestamp-s", "1"), "toloka takes --timestamp-ms"),
                Arguments.of(List.of("skyvern", "--data", "{}", "--timestamp-ms", "1"), "skyvern takes --timestamp-s"),
                Arguments.of(List.of("toloka", "--data", "{}", "--timestamp-ms", "-5"), "--timestamp-ms must be"),
                Arguments.of(List.of("toloka", "--data", "{}", "--timestamp-ms", "1234567890123456"),
                        "--timestamp-ms must be"),
                Arguments.of(List.of("skyvern", "--data", "{}", "--timestamp-s", "now"), "--timestamp-s must be"),
                Arguments.of(List.of("toloka", "--data", "{}", "--url", "ftp://localhost/x"), "--url must be"),
                Arguments.of(List.of("toloka", "--data", "{}", "--url", "localhost:8080"), "--url must be"),
                Arguments.of(List.of("toloka", "--data", "{}", "--url", "http://bad host/"), "--url is not"));
    }

    @Test
    void shouldPrintTheHelp() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"toloka", "--help"},
                new String[] {"skyvern", "--data", "{}", "-h"})) {
            Result r = sign(Map.of(), null, args);

            assertEquals(0, r.status, String.join(" ", args));
            assertTrue(r.out.startsWith("Usage: java -cp target/classes io.hookgate.tools.Sign toloka"), r.out);
            assertTrue(r.out.contains("The signature covers exactly these bytes"), r.out);
            assertTrue(r.out.contains("HOOKGATE_TOLOKA_SECRETS_<N>"), r.out);
            assertTrue(r.out.contains("HOOKGATE_SKYVERN_API_KEYS"), r.out);
            assertEquals("", r.err);
        }
        assertTrue(captured.isEmpty());
    }

    // ---------------------------------------------------------------- --curl

    @Test
    void shouldPrintACurlWithTheSignatureAndSendNothing() {
        Result r = sign(Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET), null,
                "toloka", "--curl", "--url", base + "/webhooks/toloka", "--timestamp-ms", "1763899200000", "--data", BATCH);

        assertEquals(0, r.status, r.err);
        assertTrue(captured.isEmpty());
        assertTrue(Pattern.compile("-H 'Toloka-Signature: \\{v=1, ts=1763899200000, sign=[0-9a-f]{64}}'")
                .matcher(r.out).find(), r.out);
        assertTrue(r.out.contains("-H 'Content-Type: application/json'"), r.out);
        assertTrue(r.out.contains(" --data-binary '" + BATCH + "'\n"), r.out);
        assertTrue(r.out.startsWith("curl -sS -i " + base + "/webhooks/toloka \\\n"), r.out);
    }

    @Test
    void shouldPointCurlAtTheFile() throws IOException {
        Path file = dir.resolve("batch.json");
        Files.writeString(file, BATCH);

        Result r = sign(Map.of("HOOKGATE_SKYVERN_API_KEYS", SKYVERN_KEY), null,
                "skyvern", "--curl", "--timestamp-s", "1700000000", "--file", file.toString());

        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("-H 'x-skyvern-timestamp: 1700000000'"), r.out);
        assertTrue(Pattern.compile("-H 'x-skyvern-signature: [0-9a-f]{64}'").matcher(r.out).find(), r.out);
        assertTrue(r.out.endsWith(" --data-binary @" + file + "\n"), r.out);
        assertFalse(r.out.contains(BATCH), r.out);
    }

    @Test
    void shouldQuoteAFileNameForTheShell() {
        SignedRequest request = new SignedRequest(java.net.URI.create("http://localhost:8080/x"), Map.of(),
                new byte[0], "my batch's.json");
        assertTrue(CurlCommand.render(request).endsWith(" --data-binary '@my batch'\\''s.json'\n"));
        SignedRequest dash = new SignedRequest(java.net.URI.create("http://localhost:8080/x"), Map.of(), new byte[0], "-");
        assertTrue(CurlCommand.render(dash).endsWith(" --data-binary @./-\n"));
    }

    @Test
    void shouldRefuseToInlineANulByte() {
        byte[] body = "{\"a\":\"\0\"}".getBytes(UTF_8);

        Result r = sign(Map.of(), body, "skyvern", "--dev", "--curl", "-");

        assertEquals(2, r.status);
        assertTrue(r.err.contains("NUL") && r.err.contains("--file"), r.err);
        assertEquals("", r.out);
    }

    /** Each curl the tool prints, run by bash against the test server, delivers a request that verifies. */
    @ParameterizedTest
    @MethodSource("curlBodies")
    void shouldPrintACurlThatDeliversTheSameSignedBytes(String provider, byte[] body, String source, String expectedForm)
            throws Exception {
        assumeTrue(onPath("curl") && onPath("bash"), "curl and bash are needed to run the printed command");
        Map<String, String> env = Map.of("HOOKGATE_TOLOKA_SECRETS_1", TOLOKA_SECRET, "HOOKGATE_SKYVERN_API_KEYS", SKYVERN_KEY);
        List<String> args = new ArrayList<>(List.of(provider, "--curl", "--url", base + "/webhooks/" + provider));
        byte[] stdin = null;
        switch (source) {
            case "file" -> {
                Path file = dir.resolve("a body's file.json");
                Files.write(file, body);
                args.addAll(List.of("--file", file.toString()));
            }
            case "data" -> args.addAll(List.of("--data", new String(body, UTF_8)));
            default -> {
                args.add("-");
                stdin = body;
            }
        }

        Result r = sign(env, stdin, args.toArray(String[]::new));
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains(expectedForm), r.out);
        assertTrue(captured.isEmpty());

        ProcessBuilder bash = new ProcessBuilder("bash", "-c", r.out).redirectErrorStream(true);
        for (String proxy : List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")) {
            bash.environment().remove(proxy);
        }
        Process process = bash.start();
        process.getOutputStream().close();
        byte[] curlOutput = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String shown = new String(curlOutput, UTF_8);
        assertEquals(0, process.exitValue(), shown);
        assertTrue(shown.startsWith("HTTP/1.1 200"), shown);

        Captured c = only();
        assertEquals("POST", c.method);
        assertEquals("application/json", c.header("Content-Type"));
        assertArrayEquals(body, c.body);
        if (provider.equals("toloka")) {
            tolokaVerifier("1", TOLOKA_SECRET).verify(c.header("Toloka-Signature"), c.body);
        } else {
            skyvernVerifier(SKYVERN_KEY).verify(c.header("x-skyvern-signature"), c.header("x-skyvern-timestamp"), c.body);
            assertNotNull(c.header("x-skyvern-timestamp"));
        }
    }

    static Stream<Arguments> curlBodies() {
        byte[] awkward = AWKWARD.getBytes(UTF_8);
        byte[] binary = concat("{\"a\":\"\u001b[31m\"}\r\n".getBytes(UTF_8), new byte[] {(byte) 0xff, (byte) 0xc3, '\\', '\''});
        return Stream.of(
                Arguments.of("toloka", awkward, "file", "--data-binary '@"),
                Arguments.of("toloka", awkward, "data", "--data-binary $'"), // the CR needs ANSI-C quotes
                Arguments.of("toloka", BATCH.replace("1\"", "1'\"").concat("\n").getBytes(UTF_8), "data",
                        "--data-binary '{\"events\""),
                Arguments.of("skyvern", "{\"task_id\":\"tsk_123\",\"note\":\"Zoë's 東京\"}".getBytes(UTF_8), "stdin",
                        "--data-binary '{\"task_id\""),
                Arguments.of("skyvern", binary, "stdin", "--data-binary $'"),
                Arguments.of("skyvern", "@/etc/hostname".getBytes(UTF_8), "data", "--data-raw '@/etc/hostname'"),
                Arguments.of("toloka", new byte[0], "stdin", "--data-binary ''"));
    }

    // ---------------------------------------------------------------- helpers

    /** Runs the tool; also checks that no secret appears in its output, whatever happened. */
    private Result sign(Map<String, String> env, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin == null ? new byte[0] : stdin);
        int status = Sign.run(args, new HashMap<>(env), in, new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
        Result result = new Result(status, out.toString(UTF_8), err.toString(UTF_8));
        for (String secret : SECRETS) {
            assertFalse(result.out.contains(secret), "stdout shows a secret: " + result.out);
            assertFalse(result.err.contains(secret), "stderr shows a secret: " + result.err);
        }
        return result;
    }

    private String[] withUrl(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--url", base));
        return all.toArray(String[]::new);
    }

    private Captured only() {
        assertEquals(1, captured.size(), "requests received");
        return captured.get(0);
    }

    private static TolokaVerifier tolokaVerifier(String keyVersion, String secret) {
        return new TolokaVerifier(Map.of(keyVersion, secret.getBytes(UTF_8)), Duration.ofSeconds(300), Clock.systemUTC());
    }

    private static SkyvernVerifier skyvernVerifier(String key) {
        return new SkyvernVerifier(List.of(key.getBytes(UTF_8)), Duration.ZERO, Clock.systemUTC());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
