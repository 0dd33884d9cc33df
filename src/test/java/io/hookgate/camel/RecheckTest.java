package io.hookgate.camel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.IntakeRecord;
import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.SkyvernVerifier;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.signature.TolokaVerifier;
import io.hookgate.toloka.TopicTemplate;
import io.hookgate.wire.HookgateHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replay's re-check of one dead-letter record, on the published vectors (CONTRACTS.md): Toloka's
 * documented example is signed in the year 2000, far outside any window, and must pass all the same.
 */
class RecheckTest {

    // Toloka's documented example
    static final String TOLOKA_SECRET = "12345";
    static final String TOLOKA_HEADER = "{v=1, ts=946728000000, "
            + "sign=609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb}";
    static final String TOLOKA_BODY = "{\"events\":[{\"event_time\":\"2000-01-01T12:00:00\","
            + "\"project_id\":\"project-1\",\"pool_id\":\"pool-1\","
            + "\"uuid\":\"00000000-0000-0000-0000-000000000000\",\"task_suite_id\":\"task-suite-1\","
            + "\"assignment_id\":\"assignment-1\",\"webhook_subscription_id\":\"subscription-1\","
            + "\"type\":\"ASSIGNMENT_APPROVED\"}]}";
    // Skyvern's published task vector
    static final String SKYVERN_KEY = "sk_test_key";
    static final String SKYVERN_BODY = "{\"task_id\":\"tsk_123456\"}";
    static final String SKYVERN_SIGNATURE = "e22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b8035";

    static final String RECEIVED_AT = "2026-12-01T10:00:00.123Z";

    final Recheck recheck = recheck(true, true);

    static Recheck recheck(boolean toloka, boolean skyvern) {
        Clock clock = Clock.systemUTC();
        return new Recheck(new TolokaVerifier(Map.of("1", TOLOKA_SECRET.getBytes(UTF_8)), Duration.ofSeconds(300), clock),
                toloka, new SkyvernVerifier(List.of(SKYVERN_KEY.getBytes(UTF_8)), Duration.ofSeconds(300), clock),
                skyvern, new FanOut(new TopicTemplate("toloka.{type}"), "skyvern.runs"), "/skyvern/totp");
    }

    static Map<String, String> tolokaLetter(String signature, String reason) {
        Map<String, String> headers = letter("toloka", "/webhooks/toloka", reason);
        if (signature != null) {
            headers.put("toloka-signature", signature);
        }
        return headers;
    }

    static Map<String, String> skyvernLetter(String path, String signature) {
        Map<String, String> headers = letter("skyvern", path, "signature-mismatch");
        headers.put("x-skyvern-signature", signature);
        headers.put("x-skyvern-timestamp", "946728000");
        return headers;
    }

    static Map<String, String> letter(String source, String path, String reason) {
        Map<String, String> headers = new HashMap<>();
        headers.put(HookgateHeaders.REASON, reason);
        headers.put(HookgateHeaders.SOURCE, source);
        headers.put(HookgateHeaders.REQUEST_ID, "req-1");
        headers.put(HookgateHeaders.RECEIVED_AT, RECEIVED_AT);
        headers.put(HookgateHeaders.REQUEST_PATH, path);
        headers.put(HookgateHeaders.CONTENT_TYPE, "application/json; charset=utf-8");
        return headers;
    }

    Recheck.Outcome check(Map<String, String> headers, String body) {
        return recheck.check(headers::get, body.getBytes(UTF_8));
    }

    static void assertFailing(String reason, Recheck.Outcome outcome) {
        assertEquals(Recheck.Verdict.STILL_FAILING, outcome.verdict());
        assertEquals(reason, outcome.reason());
        assertNull(outcome.intake());
    }

    @Test
    void documentedTolokaExampleIsRepublishedAsTheLivePathWouldHaveWrittenItWhateverItsAge() {
        Recheck.Outcome outcome = check(tolokaLetter(TOLOKA_HEADER, "signature-mismatch"), TOLOKA_BODY);

        assertEquals(Recheck.Verdict.REPUBLISH, outcome.verdict());
        assertNull(outcome.reason());
        IntakeRecord intake = outcome.intake();
        assertEquals("toloka", intake.source());
        assertEquals("pool-1", intake.key(), "keyed by pool, as the live path keys it: the same intake partition");
        assertEquals("req-1", intake.requestId());
        assertEquals(RECEIVED_AT, intake.receivedAt().toString());
        assertArrayEquals(TOLOKA_BODY.getBytes(UTF_8), intake.body());
    }

    @Test
    void publishedSkyvernVectorIsRepublishedKeyedByTheHashOfItsBody() {
        Recheck.Outcome outcome = check(skyvernLetter("/webhooks/skyvern", SKYVERN_SIGNATURE), SKYVERN_BODY);

        assertEquals(Recheck.Verdict.REPUBLISH, outcome.verdict());
        IntakeRecord intake = outcome.intake();
        assertEquals("skyvern", intake.source());
        assertEquals(IntakeRecord.skyvern("any", intake.receivedAt(), SKYVERN_BODY.getBytes(UTF_8)).key(), intake.key());
        assertEquals("req-1", intake.requestId());
        assertEquals(RECEIVED_AT, intake.receivedAt().toString());
        assertArrayEquals(SKYVERN_BODY.getBytes(UTF_8), intake.body());
    }

    @Test
    void signatureFailuresKeepTheVerifiersReasons() {
        assertFailing("signature-mismatch", check(tolokaLetter(TOLOKA_HEADER, "signature-mismatch"),
                TOLOKA_BODY.replace("pool-1", "pool-2")));
        assertFailing("unknown-key-version", check(tolokaLetter(TOLOKA_HEADER.replace("v=1", "v=2"),
                "unknown-key-version"), TOLOKA_BODY));
        assertFailing("missing-signature", check(tolokaLetter(null, "missing-signature"), TOLOKA_BODY));
        assertFailing("malformed-signature", check(tolokaLetter("sha256=abc", "malformed-signature"), TOLOKA_BODY));
        assertFailing("signature-mismatch", check(skyvernLetter("/webhooks/skyvern", SKYVERN_SIGNATURE),
                "{\"task_id\":\"tsk_654321\"}"));
    }

    @Test
    void wrongSecretStillFails() {
        Recheck.Outcome outcome = recheck.check(tolokaLetter(new TolokaSigner("1", "not-12345".getBytes(UTF_8))
                .signatureHeader(TOLOKA_BODY.getBytes(UTF_8), 946_728_000_000L), "signature-mismatch")::get,
                TOLOKA_BODY.getBytes(UTF_8));
        assertFailing("signature-mismatch", outcome);
    }

    @Test
    void aCorrectlySignedBodyTheLivePathRefusesStillFailsAsMalformed() {
        String notABatch = "{\"events\":{}}";
        String header = new TolokaSigner("1", TOLOKA_SECRET.getBytes(UTF_8))
                .signatureHeader(notABatch.getBytes(UTF_8), 946_728_000_000L);
        assertFailing("malformed-body", check(tolokaLetter(header, "malformed-body"), notABatch));

        String notAnObject = "[1,2]";
        String signature = new SkyvernSigner(SKYVERN_KEY.getBytes(UTF_8)).signature(notAnObject.getBytes(UTF_8));
        assertFailing("malformed-body", check(skyvernLetter("/webhooks/skyvern", signature), notAnObject));
    }

    @Test
    void aBodyNotDeclaredAsJsonStillFails() {
        Map<String, String> headers = tolokaLetter(TOLOKA_HEADER, "unsupported-media-type");
        headers.put(HookgateHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
        assertFailing("unsupported-media-type", check(headers, TOLOKA_BODY));
    }

    @Test
    void aBodyThatWasNeverReadStillFailsWithItsOriginalReason() {
        Map<String, String> headers = tolokaLetter(TOLOKA_HEADER, "payload-too-large");
        assertFailing("payload-too-large", check(headers, ""));
        headers.put(HookgateHeaders.REASON, "incomplete-body");
        assertFailing("incomplete-body", check(headers, ""));
    }

    @Test
    void aRecordWithoutTheRequestsHeadersIsNotARequest() {
        Map<String, String> headers = tolokaLetter(TOLOKA_HEADER, "internal-error");
        headers.remove(HookgateHeaders.SOURCE);
        assertFailing(Recheck.NOT_A_REQUEST, check(headers, TOLOKA_BODY));
        headers.put(HookgateHeaders.SOURCE, "github");
        assertFailing(Recheck.NOT_A_REQUEST, check(headers, TOLOKA_BODY));
        headers.put(HookgateHeaders.SOURCE, "toloka");
        headers.put(HookgateHeaders.RECEIVED_AT, "yesterday");
        assertFailing(Recheck.NOT_A_REQUEST, check(headers, TOLOKA_BODY));
    }

    @Test
    void totpPollsAndProvidersSwitchedOffAreSkipped() {
        Recheck.Outcome poll = check(skyvernLetter("/skyvern/totp/login-1", SKYVERN_SIGNATURE), SKYVERN_BODY);
        assertEquals(Recheck.Verdict.SKIPPED, poll.verdict());
        assertEquals(Recheck.TOTP_POLL, poll.reason());

        Recheck.Outcome off = recheck(false, true).check(tolokaLetter(TOLOKA_HEADER, "signature-mismatch")::get,
                TOLOKA_BODY.getBytes(UTF_8));
        assertEquals(Recheck.Verdict.SKIPPED, off.verdict());
        assertEquals(Recheck.PROVIDER_DISABLED, off.reason());
    }
}
