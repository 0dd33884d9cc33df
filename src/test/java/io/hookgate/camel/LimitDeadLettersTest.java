package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.deadletter.DropWarnings;
import io.hookgate.deadletter.TokenBucket;
import io.hookgate.signature.VerificationException;
import io.hookgate.wire.RejectedRequestException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LimitDeadLettersTest {

    private static final String SIGNATURE = "{v=1, ts=1935889321123, sign="
            + "609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb}";
    private static final byte[] BODY = "{\"events\":[{\"secret_looking\":\"do-not-log-me\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final List<String> warnings = new ArrayList<>();
    private HookgateMetrics metrics;

    @BeforeEach
    void start() {
        context.getRegistry().bind("meters", registry);
        context.start();
        metrics = new HookgateMetrics(context);
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void shouldWriteTheBurstThenDropAndCountBySourceAndReason() {
        LimitDeadLetters limit = limit(new TokenBucket(1, 2, now::get));
        List<Boolean> dropped = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Exchange exchange = refused(new VerificationException(
                    VerificationException.Reason.SIGNATURE_MISMATCH, "Toloka-Signature does not match"));
            limit.process(exchange);
            dropped.add(exchange.getProperty(LimitDeadLetters.DROPPED, Boolean.class));
        }

        assertEquals(List.of(false, false, true, true, true), dropped);
        assertEquals(3.0, registry.get("hookgate.dead.letters.dropped")
                .tags("source", "toloka", "reason", "signature-mismatch").counter().count());
        assertEquals(1, warnings.size(), "one warning for the flood, not one per record");
    }

    @Test
    void shouldWriteAgainOnceTheBucketRefills() {
        LimitDeadLetters limit = limit(new TokenBucket(1, 1, now::get));
        assertFalse(process(limit, malformed()));
        assertTrue(process(limit, malformed()));

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));

        assertFalse(process(limit, malformed()));
    }

    @Test
    void shouldAlwaysRecordInternalErrorsWithoutTakingAPermit() {
        LimitDeadLetters limit = limit(new TokenBucket(1, 1, now::get));
        for (int i = 0; i < 10; i++) {
            assertFalse(process(limit, refused(new IllegalStateException("a bug"))), "a 500 is always recorded");
        }
        assertFalse(process(limit, malformed()), "the 500s took no permit");
        assertTrue(process(limit, malformed()));
        assertNull(registry.find("hookgate.dead.letters.dropped").tag("reason", Rejection.INTERNAL_ERROR).counter());
    }

    @Test
    void shouldNeverDropWithoutALimit() {
        LimitDeadLetters limit = LimitDeadLetters.of(0, 1, now::get, metrics,
                "hookgate.dead-letter.max-per-second", "hookgate.dead-letter.burst");
        for (int i = 0; i < 10_000; i++) {
            assertFalse(process(limit, malformed()));
        }
    }

    @Test
    void shouldStillAnswerTheSenderItsStatusAndCountTheRecordAsDroppedNotWritten() throws Exception {
        LimitDeadLetters limit = limit(new TokenBucket(1, 1, now::get));
        process(limit, malformed());
        Exchange exchange = refused(new VerificationException(
                VerificationException.Reason.SIGNATURE_MISMATCH, "Toloka-Signature does not match"));
        limit.process(exchange);

        Answers.rejected(metrics).process(exchange);

        assertEquals(401, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertNull(registry.find("hookgate.dead.letters").tag("reason", "signature-mismatch").counter(),
                "not counted as written");
        assertEquals(1.0, registry.get("hookgate.dead.letters.dropped").tag("reason", "signature-mismatch")
                .counter().count());
    }

    @Test
    void shouldWarnWithReasonsOnlyNeverTheRequest() {
        LimitDeadLetters limit = limit(new TokenBucket(1, 1, now::get));
        process(limit, malformed());
        process(limit, refused(new VerificationException(
                VerificationException.Reason.SIGNATURE_MISMATCH, "Toloka-Signature does not match")));

        String warning = warnings.get(0);
        assertTrue(warning.contains("signature-mismatch=1"), warning);
        assertFalse(warning.contains("do-not-log-me"), "no body");
        assertFalse(warning.contains("609af3ee"), "no signature");
        assertFalse(warning.contains("0b8f6f3e"), "no request id: that is in the request's own log line");
    }

    private LimitDeadLetters limit(TokenBucket bucket) {
        return new LimitDeadLetters(bucket, new DropWarnings(Duration.ofSeconds(10), now::get,
                "hookgate.dead-letter.max-per-second=1", warnings::add), metrics);
    }

    /** Whether the limit dropped this exchange's record. */
    private static boolean process(LimitDeadLetters limit, Exchange exchange) {
        limit.process(exchange);
        return exchange.getProperty(LimitDeadLetters.DROPPED, Boolean.class);
    }

    private Exchange malformed() {
        return refused(new RejectedRequestException(RejectedRequestException.Reason.MALFORMED_BODY, "not a batch"));
    }

    /** An exchange as the dead-letter route has it after {@link DeadLetterRecord}. */
    private Exchange refused(Throwable failure) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest("0b8f6f3e-4b8e-4e0c-9a51-8c7a1d2e3f40",
                "toloka", Instant.parse("2031-05-04T03:02:01Z"), "/webhooks/toloka", "application/json",
                Map.of("Toloka-Signature", SIGNATURE), BODY, BODY.length));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        new DeadLetterRecord().process(exchange);
        return exchange;
    }
}
