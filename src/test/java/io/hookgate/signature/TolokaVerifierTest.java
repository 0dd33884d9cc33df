package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.MISSING_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.SIGNATURE_MISMATCH;
import static io.hookgate.signature.VerificationException.Reason.TIMESTAMP_OUT_OF_WINDOW;
import static io.hookgate.signature.VerificationException.Reason.UNKNOWN_KEY_VERSION;
import static io.hookgate.signature.Vectors.TOLOKA_BODY_COMPACT;
import static io.hookgate.signature.Vectors.TOLOKA_BODY_PRETTY;
import static io.hookgate.signature.Vectors.TOLOKA_HEADER;
import static io.hookgate.signature.Vectors.TOLOKA_SECRET;
import static io.hookgate.signature.Vectors.TOLOKA_SIGN;
import static io.hookgate.signature.Vectors.TOLOKA_TS;
import static io.hookgate.signature.Vectors.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.VerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TolokaVerifierTest {

    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void shouldHaveTheCompactExampleBodyOf273Bytes() {
        assertEquals(273, utf8(TOLOKA_BODY_COMPACT).length);
        assertEquals(355, utf8(TOLOKA_BODY_PRETTY).length);
    }

    @Test
    void shouldVerifyThePublishedExample() throws Exception {
        TolokaSignatureHeader header = scenario().verify(TOLOKA_HEADER);

        assertEquals("1", header.keyVersion());
        assertEquals(TOLOKA_TS, header.timestampMillis());
    }

    @Test
    void shouldVerifyThePublishedExampleFarFromItsTimestampWhenToleranceIsZero() throws Exception {
        Scenario scenario = scenario().tolerance(Duration.ZERO).receivedAt(Instant.parse("2031-06-01T00:00:00Z"));

        assertEquals(TOLOKA_TS, scenario.verify(TOLOKA_HEADER).timestampMillis());
    }

    @Test
    void shouldRejectThePrettyPrintedExampleBody() {
        assertReason(SIGNATURE_MISMATCH, scenario().body(TOLOKA_BODY_PRETTY), TOLOKA_HEADER);
    }

    @Test
    void shouldReportMissingSignature() {
        assertReason(MISSING_SIGNATURE, scenario(), null);
        assertReason(MISSING_SIGNATURE, scenario(), " ");
    }

    @Test
    void shouldReportMalformedSignature() {
        assertReason(MALFORMED_SIGNATURE, scenario(), "{v=1, ts=946728000000, sign=d3...ab}");
    }

    @Test
    void shouldReportUnknownKeyVersion() {
        assertReason(UNKNOWN_KEY_VERSION, scenario(), "{v=3, ts=946728000000, sign=" + TOLOKA_SIGN + "}");
    }

    @Test
    void shouldRejectStaleTimestamp() {
        Scenario scenario = scenario().receivedAt(at(TOLOKA_TS).plus(FIVE_MINUTES).plusMillis(1));

        assertReason(TIMESTAMP_OUT_OF_WINDOW, scenario, TOLOKA_HEADER);
    }

    @Test
    void shouldRejectTimestampFromTheFuture() {
        Scenario scenario = scenario().receivedAt(at(TOLOKA_TS).minus(FIVE_MINUTES).minusMillis(1));

        assertReason(TIMESTAMP_OUT_OF_WINDOW, scenario, TOLOKA_HEADER);
    }

    @Test
    void shouldAcceptTimestampExactlyAtTheToleranceOnBothSides() throws Exception {
        scenario().receivedAt(at(TOLOKA_TS).plus(FIVE_MINUTES)).verify(TOLOKA_HEADER);
        scenario().receivedAt(at(TOLOKA_TS).minus(FIVE_MINUTES)).verify(TOLOKA_HEADER);
    }

    @Test
    void shouldReportMismatchRatherThanStaleTimestampForAForgery() {
        String forged = "{v=1, ts=946728000000, sign=" + "0".repeat(64) + "}";
        Scenario scenario = scenario().receivedAt(Instant.parse("2031-06-01T00:00:00Z"));

        assertReason(SIGNATURE_MISMATCH, scenario, forged);
    }

    @Test
    void shouldJudgeTheWindowAtTheRequestsArrivalNotTheClock() throws Exception {
        // the clock says 2031; the request arrived four minutes after it was signed
        Scenario scenario = scenario().receivedAt(Instant.parse("2031-06-01T00:00:00Z"));
        Instant signed = Instant.ofEpochMilli(TOLOKA_TS);

        assertEquals(TOLOKA_TS, scenario.verifier()
                .verify(TOLOKA_HEADER, scenario.body, signed.plus(Duration.ofMinutes(4))).timestampMillis());
        VerificationException late = assertThrows(VerificationException.class, () -> scenario.verifier()
                .verify(TOLOKA_HEADER, scenario.body, signed.plus(Duration.ofMinutes(6))));
        assertEquals(TIMESTAMP_OUT_OF_WINDOW, late.reason());
    }

    @Test
    void shouldVerifyStaleRequestWhenIgnoringTimestamp() throws Exception {
        Scenario scenario = scenario().receivedAt(Instant.parse("2031-06-01T00:00:00Z"));

        assertEquals(TOLOKA_TS, scenario.verifier().verifyIgnoringTimestamp(TOLOKA_HEADER, scenario.body)
                .timestampMillis());
    }

    @Test
    void shouldStillRejectMismatchWhenIgnoringTimestamp() {
        Scenario scenario = scenario().body(TOLOKA_BODY_PRETTY);

        VerificationException e = assertThrows(VerificationException.class,
                () -> scenario.verifier().verifyIgnoringTimestamp(TOLOKA_HEADER, scenario.body));
        assertEquals(SIGNATURE_MISMATCH, e.reason());
    }

    @Test
    void shouldRejectTamperedBody() {
        String tampered = TOLOKA_BODY_COMPACT.replace("ASSIGNMENT_APPROVED", "ASSIGNMENT_REJECTED");

        assertReason(SIGNATURE_MISMATCH, scenario().body(tampered), TOLOKA_HEADER);
    }

    @Test
    void shouldRejectTamperedTimestampBecauseItIsSigned() {
        Scenario scenario = scenario().tolerance(Duration.ZERO);

        assertReason(SIGNATURE_MISMATCH, scenario, "{v=1, ts=946728000001, sign=" + TOLOKA_SIGN + "}");
    }

    @Test
    void shouldRejectAnotherKeyVersionBecauseItIsSigned() {
        Scenario scenario = scenario().secret("1", TOLOKA_SECRET).secret("2", TOLOKA_SECRET);

        assertReason(SIGNATURE_MISMATCH, scenario, "{v=2, ts=946728000000, sign=" + TOLOKA_SIGN + "}");
    }

    @Test
    void shouldVerifyEachKeyVersionWithItsOwnSecret() throws Exception {
        Scenario scenario = scenario().secret("1", "old-secret").secret("2", "new-secret");
        String signedWithV1 = new TolokaSigner("1", utf8("old-secret")).signatureHeader(scenario.body, TOLOKA_TS);
        String signedWithV2 = new TolokaSigner("2", utf8("new-secret")).signatureHeader(scenario.body, TOLOKA_TS);
        String v2ClaimingV1 = new TolokaSigner("1", utf8("new-secret")).signatureHeader(scenario.body, TOLOKA_TS);

        assertEquals("1", scenario.verify(signedWithV1).keyVersion());
        assertEquals("2", scenario.verify(signedWithV2).keyVersion());
        assertReason(SIGNATURE_MISMATCH, scenario, v2ClaimingV1);
        assertReason(UNKNOWN_KEY_VERSION, scenario,
                new TolokaSigner("3", utf8("new-secret")).signatureHeader(scenario.body, TOLOKA_TS));
    }

    @Test
    void shouldVerifyNonAsciiBodyAsBytes() throws Exception {
        Scenario scenario = scenario().body("{\"events\":[{\"output_values\":{\"name\":\"Zoë\",\"city\":\"東京\"}}]}");
        String header = scenario.sign();

        scenario.verify(header);
        // the same text with "ë" decomposed (e + combining diaeresis) is other bytes: must not verify
        String decomposed = new String(scenario.body, StandardCharsets.UTF_8).replace("ë", "e\u0308");
        assertReason(SIGNATURE_MISMATCH, scenario().body(decomposed), header);
    }

    @Test
    void shouldVerifyBodyThatIsNotValidUtf8() throws Exception {
        Scenario scenario = scenario().body(new byte[] {'{', (byte) 0xff, (byte) 0xc3, '}'});

        scenario.verify(scenario.sign());
    }

    @Test
    void shouldRejectNoSecrets() {
        assertThrows(IllegalArgumentException.class,
                () -> new TolokaVerifier(Map.of(), FIVE_MINUTES, Clock.systemUTC()));
    }

    @Test
    void shouldRejectEmptySecretNamingTheKeyVersion() {
        Map<String, byte[]> secrets = new HashMap<>();
        secrets.put("1", utf8("fine-secret"));
        secrets.put("7", new byte[0]);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TolokaVerifier(secrets, FIVE_MINUTES, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("7"), e.getMessage());
        assertFalse(e.getMessage().contains("fine-secret"), e.getMessage());
    }

    @Test
    void shouldRejectKeyVersionThatIsNotDigits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TolokaVerifier(Map.of("v1", utf8("s3cr3t")), FIVE_MINUTES, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("v1"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void shouldRejectNegativeTolerance() {
        assertThrows(IllegalArgumentException.class,
                () -> new TolokaVerifier(Map.of("1", utf8("s")), Duration.ofSeconds(-1), Clock.systemUTC()));
    }

    @Test
    void shouldCopyTheSecrets() throws Exception {
        byte[] secret = utf8(TOLOKA_SECRET);
        TolokaVerifier verifier = new TolokaVerifier(Map.of("1", secret), Duration.ZERO, Clock.systemUTC());
        secret[0] = 'x';

        verifier.verify(TOLOKA_HEADER, utf8(TOLOKA_BODY_COMPACT));
    }

    @Test
    void shouldAcceptHugeTolerance() throws Exception {
        Scenario scenario = scenario().tolerance(Duration.ofSeconds(Long.MAX_VALUE))
                .receivedAt(Instant.parse("2031-06-01T00:00:00Z"));

        scenario.verify(TOLOKA_HEADER);
    }

    private static Scenario scenario() {
        return new Scenario();
    }

    private static Instant at(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

    private static void assertReason(Reason expected, Scenario scenario, String header) {
        VerificationException e = assertThrows(VerificationException.class, () -> scenario.verify(header));
        assertEquals(expected, e.reason());
    }

    /**
     * A received request: by default Toloka's documented example (secret 12345 as v=1, the compact body),
     * received at its own timestamp, with a five-minute window.
     */
    private static final class Scenario {
        private final Map<String, byte[]> secrets = new LinkedHashMap<>();
        private byte[] body = utf8(TOLOKA_BODY_COMPACT);
        private Instant now = at(TOLOKA_TS);
        private Duration tolerance = FIVE_MINUTES;

        /** Configures a key version; once any is configured, the default (v=1, 12345) is not. */
        Scenario secret(String keyVersion, String secret) {
            secrets.put(keyVersion, utf8(secret));
            return this;
        }

        Scenario body(String text) {
            return body(utf8(text));
        }

        Scenario body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Scenario receivedAt(Instant instant) {
            this.now = instant;
            return this;
        }

        Scenario tolerance(Duration window) {
            this.tolerance = window;
            return this;
        }

        TolokaVerifier verifier() {
            Map<String, byte[]> configured = secrets.isEmpty()
                    ? Map.of(Vectors.TOLOKA_KEY_VERSION, utf8(TOLOKA_SECRET)) : secrets;
            return new TolokaVerifier(configured, tolerance, Clock.fixed(now, ZoneOffset.UTC));
        }

        /** Signs the body with the default secret and version, at the example's timestamp. */
        String sign() {
            return new TolokaSigner(Vectors.TOLOKA_KEY_VERSION, utf8(TOLOKA_SECRET)).signatureHeader(body, TOLOKA_TS);
        }

        TolokaSignatureHeader verify(String header) throws VerificationException {
            return verifier().verify(header, body);
        }
    }
}
