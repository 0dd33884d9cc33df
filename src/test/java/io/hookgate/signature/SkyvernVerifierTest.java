package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.MISSING_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.SIGNATURE_MISMATCH;
import static io.hookgate.signature.VerificationException.Reason.TIMESTAMP_OUT_OF_WINDOW;
import static io.hookgate.signature.Vectors.SKYVERN_KEY;
import static io.hookgate.signature.Vectors.SKYVERN_NON_ASCII_BODY;
import static io.hookgate.signature.Vectors.SKYVERN_NON_ASCII_SIGNATURE;
import static io.hookgate.signature.Vectors.SKYVERN_TASK_BODY;
import static io.hookgate.signature.Vectors.SKYVERN_TASK_SIGNATURE;
import static io.hookgate.signature.Vectors.SKYVERN_WORKFLOW_BODY;
import static io.hookgate.signature.Vectors.SKYVERN_WORKFLOW_SIGNATURE;
import static io.hookgate.signature.Vectors.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.VerificationException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SkyvernVerifierTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String NOW_SECONDS = Long.toString(NOW.getEpochSecond());
    /** What a sender on UTC+3 sends: Skyvern's timestamp is off by the sending host's UTC offset. */
    private static final String THREE_HOURS_OFF = Long.toString(NOW.getEpochSecond() - 3 * 3600);

    private final SkyvernVerifier windowOff = verifier(Duration.ZERO, SKYVERN_KEY);
    private final SkyvernVerifier windowOn = verifier(Duration.ofMinutes(5), SKYVERN_KEY);

    @Test
    void shouldVerifyTaskVector() throws Exception {
        windowOff.verify(SKYVERN_TASK_SIGNATURE, NOW_SECONDS, utf8(SKYVERN_TASK_BODY));
    }

    @Test
    void shouldVerifyWorkflowVector() throws Exception {
        windowOff.verify(SKYVERN_WORKFLOW_SIGNATURE, NOW_SECONDS, utf8(SKYVERN_WORKFLOW_BODY));
    }

    @Test
    void shouldRejectSpacedFormOfTheTaskBody() {
        assertReason(SIGNATURE_MISMATCH,
                () -> windowOff.verify(SKYVERN_TASK_SIGNATURE, NOW_SECONDS, utf8("{\"task_id\": \"tsk_123456\"}")));
    }

    @Test
    void shouldRejectSignatureOfAnotherBody() {
        assertReason(SIGNATURE_MISMATCH,
                () -> windowOff.verify(SKYVERN_WORKFLOW_SIGNATURE, NOW_SECONDS, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldRejectSignatureMadeWithAnotherKey() {
        SkyvernVerifier other = verifier(Duration.ZERO, "sk_other_key");

        assertReason(SIGNATURE_MISMATCH,
                () -> other.verify(SKYVERN_TASK_SIGNATURE, NOW_SECONDS, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldAcceptEitherOfTwoActiveKeys() throws Exception {
        SkyvernVerifier rotating = verifier(Duration.ZERO, "sk_new_key", SKYVERN_KEY);
        byte[] body = utf8(SKYVERN_TASK_BODY);
        String signedWithNewKey = new SkyvernSigner(utf8("sk_new_key")).signature(body);

        rotating.verify(SKYVERN_TASK_SIGNATURE, NOW_SECONDS, body);
        rotating.verify(signedWithNewKey, NOW_SECONDS, body);
        assertReason(SIGNATURE_MISMATCH, () -> rotating.verify(
                new SkyvernSigner(utf8("sk_retired_key")).signature(body), NOW_SECONDS, body));
    }

    @Test
    void shouldAcceptUppercaseHex() throws Exception {
        windowOff.verify(SKYVERN_TASK_SIGNATURE.toUpperCase(), NOW_SECONDS, utf8(SKYVERN_TASK_BODY));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void shouldReportMissingSignature(String signature) {
        assertReason(MISSING_SIGNATURE, () -> windowOff.verify(signature, NOW_SECONDS, utf8(SKYVERN_TASK_BODY)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "e22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b803",
        "e22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b8035a",
        "v0=e22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b8035",
        "x22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b8035",
        // 64 chars, 56 code points: surrogate pairs (found by fuzzing: it read past the end of its bytes)
        "e22418a210b544b14d2b5e82b68a42f0933952205a1773b1\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"
                + "\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00",
    })
    void shouldReportMalformedSignature(String signature) {
        assertReason(MALFORMED_SIGNATURE, () -> windowOff.verify(signature, NOW_SECONDS, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldIgnoreTimestampHoursOffWhenWindowIsOff() throws Exception {
        byte[] body = utf8(SKYVERN_TASK_BODY);

        windowOff.verify(SKYVERN_TASK_SIGNATURE, THREE_HOURS_OFF, body);
        windowOff.verify(SKYVERN_TASK_SIGNATURE, null, body);
        windowOff.verify(SKYVERN_TASK_SIGNATURE, "not-a-number", body);
    }

    @Test
    void shouldRejectTimestampHoursOffWhenWindowIsOn() {
        assertReason(TIMESTAMP_OUT_OF_WINDOW,
                () -> windowOn.verify(SKYVERN_TASK_SIGNATURE, THREE_HOURS_OFF, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldRejectTimestampFromTheFutureWhenWindowIsOn() {
        String ahead = Long.toString(NOW.getEpochSecond() + 301);

        assertReason(TIMESTAMP_OUT_OF_WINDOW,
                () -> windowOn.verify(SKYVERN_TASK_SIGNATURE, ahead, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldAcceptTimestampExactlyAtTheToleranceOnBothSides() throws Exception {
        byte[] body = utf8(SKYVERN_TASK_BODY);

        windowOn.verify(SKYVERN_TASK_SIGNATURE, Long.toString(NOW.getEpochSecond() - 300), body);
        windowOn.verify(SKYVERN_TASK_SIGNATURE, Long.toString(NOW.getEpochSecond() + 300), body);
        windowOn.verify(SKYVERN_TASK_SIGNATURE, " " + NOW_SECONDS + " ", body);
    }

    @Test
    void shouldJudgeTheWindowAtTheCallsArrivalNotTheClock() throws Exception {
        byte[] body = utf8(SKYVERN_TASK_BODY);
        Instant arrivedHoursAgo = NOW.minus(Duration.ofHours(3)); // the clock is three hours past the arrival

        windowOn.verify(SKYVERN_TASK_SIGNATURE, THREE_HOURS_OFF, body, arrivedHoursAgo);
        assertReason(TIMESTAMP_OUT_OF_WINDOW,
                () -> windowOn.verify(SKYVERN_TASK_SIGNATURE, NOW_SECONDS, body, arrivedHoursAgo));
    }

    @Test
    void shouldRejectMissingTimestampWhenWindowIsOn() {
        assertReason(TIMESTAMP_OUT_OF_WINDOW,
                () -> windowOn.verify(SKYVERN_TASK_SIGNATURE, null, utf8(SKYVERN_TASK_BODY)));
        assertReason(TIMESTAMP_OUT_OF_WINDOW,
                () -> windowOn.verify(SKYVERN_TASK_SIGNATURE, "", utf8(SKYVERN_TASK_BODY)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1748779200.5", "-1748779200", "1748779200000000000", "2025-06-01T12:00:00Z",
            "\ud83d\ude00\ud83d\ude00", "17487\ud83d\ude0092"})
    void shouldRejectNonNumericTimestampWhenWindowIsOn(String timestamp) {
        assertReason(MALFORMED_SIGNATURE,
                () -> windowOn.verify(SKYVERN_TASK_SIGNATURE, timestamp, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldReportMismatchRatherThanStaleTimestampForAForgery() {
        String forged = "0".repeat(64);

        assertReason(SIGNATURE_MISMATCH, () -> windowOn.verify(forged, THREE_HOURS_OFF, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldVerifySignatureOnlyWhenIgnoringTimestamp() throws Exception {
        windowOn.verifyIgnoringTimestamp(SKYVERN_TASK_SIGNATURE, utf8(SKYVERN_TASK_BODY));

        assertReason(SIGNATURE_MISMATCH,
                () -> windowOn.verifyIgnoringTimestamp(SKYVERN_TASK_SIGNATURE, utf8(SKYVERN_WORKFLOW_BODY)));
        assertReason(MISSING_SIGNATURE, () -> windowOn.verifyIgnoringTimestamp(null, utf8(SKYVERN_TASK_BODY)));
    }

    @Test
    void shouldVerifyNonAsciiBodyAsBytes() throws Exception {
        byte[] body = utf8(SKYVERN_NON_ASCII_BODY);

        windowOff.verify(SKYVERN_NON_ASCII_SIGNATURE, NOW_SECONDS, body);
        // Skyvern sends non-ASCII as raw UTF-8; the \\u-escaped form is the same JSON but other bytes
        byte[] escaped = utf8(SKYVERN_NON_ASCII_BODY.replace("ë", "\\u00eb"));
        assertReason(SIGNATURE_MISMATCH, () -> windowOff.verify(SKYVERN_NON_ASCII_SIGNATURE, NOW_SECONDS, escaped));
    }

    @Test
    void shouldRejectNoKeys() {
        assertThrows(IllegalArgumentException.class, () -> new SkyvernVerifier(List.of(), Duration.ZERO, CLOCK));
    }

    @Test
    void shouldRejectEmptyKeyNamingItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SkyvernVerifier(List.of(utf8(SKYVERN_KEY), new byte[0]), Duration.ZERO, CLOCK));

        assertTrue(e.getMessage().contains("#2"), e.getMessage());
        assertFalse(e.getMessage().contains(SKYVERN_KEY), e.getMessage());
    }

    @Test
    void shouldRejectNegativeTolerance() {
        assertThrows(IllegalArgumentException.class,
                () -> new SkyvernVerifier(List.of(utf8(SKYVERN_KEY)), Duration.ofSeconds(-1), CLOCK));
    }

    @Test
    void shouldCopyTheKeys() throws Exception {
        byte[] key = utf8(SKYVERN_KEY);
        SkyvernVerifier verifier = new SkyvernVerifier(List.of(key), Duration.ZERO, CLOCK);
        Arrays.fill(key, (byte) 0);

        verifier.verify(SKYVERN_TASK_SIGNATURE, null, utf8(SKYVERN_TASK_BODY));
    }

    private static SkyvernVerifier verifier(Duration tolerance, String... keys) {
        return new SkyvernVerifier(Arrays.stream(keys).map(Vectors::utf8).toList(), tolerance, CLOCK);
    }

    private static void assertReason(Reason expected, Executable call) {
        VerificationException e = assertThrows(VerificationException.class, call);
        assertEquals(expected, e.reason());
    }
}
