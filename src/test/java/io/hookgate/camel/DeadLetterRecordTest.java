package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hookgate.signature.VerificationException;
import io.hookgate.wire.RejectedRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterRecordTest {

    private static final String REQUEST_ID = "0b8f6f3e-4b8e-4e0c-9a51-8c7a1d2e3f40";
    private static final Instant RECEIVED_AT = Instant.parse("2031-05-04T03:02:01.123Z");
    private static final String SIGNATURE = "{v=1, ts=1935889321123, sign="
            + "609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb}";
    /** Pretty-printed, non-ASCII: the record must hold these bytes, not a re-serialization. */
    private static final byte[] RAW_BODY = "{\n  \"events\": [ {\"type\": \"TEST_EVENT\", \"note\": \"Привет\"} ]\n}"
            .getBytes(StandardCharsets.UTF_8);

    private final CamelContext context = new DefaultCamelContext();
    private final DeadLetterRecord deadLetterRecord = new DeadLetterRecord();

    /** Started, as in a running route: message headers are then case-insensitive. */
    @BeforeEach
    void startContext() {
        context.start();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void shouldRecordARequestWithABadSignatureAsReceived() {
        Exchange exchange = failedExchange(new VerificationException(
                VerificationException.Reason.SIGNATURE_MISMATCH, "Toloka-Signature does not match"));
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest(REQUEST_ID, "toloka", RECEIVED_AT,
                "/webhooks/toloka", "application/json; charset=utf-8", Map.of("Toloka-Signature", SIGNATURE),
                RAW_BODY, RAW_BODY.length));

        deadLetterRecord.process(exchange);

        Message record = exchange.getMessage();
        assertArrayEquals(RAW_BODY, assertInstanceOf(byte[].class, record.getBody()));
        assertEquals(REQUEST_ID, record.getHeader(KafkaConstants.KEY));
        assertEquals(Set.of(KafkaConstants.KEY, "hookgate-reason", "hookgate-source", "hookgate-request-id",
                "hookgate-received-at", "hookgate-request-path", "hookgate-content-type", "hookgate-body-size",
                "toloka-signature"), record.getHeaders().keySet());
        assertHeader("signature-mismatch", record, "hookgate-reason");
        assertHeader("toloka", record, "hookgate-source");
        assertHeader(REQUEST_ID, record, "hookgate-request-id");
        assertHeader("2031-05-04T03:02:01.123Z", record, "hookgate-received-at");
        assertHeader("/webhooks/toloka", record, "hookgate-request-path");
        assertHeader("application/json; charset=utf-8", record, "hookgate-content-type");
        assertHeader(Integer.toString(RAW_BODY.length), record, "hookgate-body-size");
        assertHeader(SIGNATURE, record, "toloka-signature");
    }

    @Test
    void shouldKeepTheRejectionForTheAnswer() {
        Exchange exchange = failedExchange(new VerificationException(
                VerificationException.Reason.SIGNATURE_MISMATCH, "Toloka-Signature does not match"));
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest(REQUEST_ID, "toloka", RECEIVED_AT,
                "/webhooks/toloka", "application/json", Map.of(), RAW_BODY, RAW_BODY.length));

        deadLetterRecord.process(exchange);

        assertEquals(new Rejection("signature-mismatch", 401, null, false),
                exchange.getProperty(DeadLetterRecord.REJECTION, Rejection.class));
    }

    @Test
    void shouldRecordTheSizeAndDetailOfABodyRefusedUnread() {
        Exchange exchange = failedExchange(new RejectedRequestException(
                RejectedRequestException.Reason.PAYLOAD_TOO_LARGE, "the body exceeds 1048576 bytes (at least 5000000)"));
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest(REQUEST_ID, "toloka", RECEIVED_AT,
                "/webhooks/toloka", "application/json", Map.of("Toloka-Signature", SIGNATURE), new byte[0], 0)
                .withBodySize(5_000_000));

        deadLetterRecord.process(exchange);

        Message record = exchange.getMessage();
        assertArrayEquals(new byte[0], assertInstanceOf(byte[].class, record.getBody()));
        assertHeader("payload-too-large", record, "hookgate-reason");
        assertHeader("the body exceeds 1048576 bytes (at least 5000000)", record, "hookgate-detail");
        assertHeader("5000000", record, "hookgate-body-size");
        assertEquals(new Rejection("payload-too-large", 413, "the body exceeds 1048576 bytes (at least 5000000)",
                true),
                exchange.getProperty(DeadLetterRecord.REJECTION, Rejection.class));
    }

    @Test
    void shouldRecordOnlyTheReasonOfAFailureBeforeTheRequestWasRead() {
        Exchange exchange = failedExchange(new IllegalStateException("failed before reading"));

        deadLetterRecord.process(exchange);

        Message record = exchange.getMessage();
        assertArrayEquals(new byte[0], assertInstanceOf(byte[].class, record.getBody()));
        assertEquals(Set.of("hookgate-reason"), record.getHeaders().keySet());
        assertHeader("internal-error", record, "hookgate-reason");
        assertEquals(new Rejection("internal-error", 500, null, false),
                exchange.getProperty(DeadLetterRecord.REJECTION, Rejection.class));
    }

    @Test
    void shouldRecordWhatReadRequestCaptured() throws Exception {
        Clock clock = Clock.fixed(RECEIVED_AT, ZoneOffset.UTC);
        ReadRequest readRequest = new ReadRequest("toloka", List.of("Toloka-Signature"), 1024, Duration.ofSeconds(5),
                clock);
        Exchange exchange = new DefaultExchange(context);
        Message request = exchange.getMessage();
        request.setHeader("toloka-signature", SIGNATURE); // HTTP/2 sends lower-case names
        request.setHeader(Exchange.CONTENT_TYPE, "application/json");
        request.setHeader(Exchange.HTTP_PATH, "/webhooks/toloka");
        request.setHeader("User-Agent", "Toloka");
        request.setBody(RAW_BODY);

        readRequest.process(exchange);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                new VerificationException(VerificationException.Reason.SIGNATURE_MISMATCH, "does not match"));
        deadLetterRecord.process(exchange);

        Message record = exchange.getMessage();
        InboundRequest read = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        assertNotNull(read.requestId());
        assertArrayEquals(RAW_BODY, assertInstanceOf(byte[].class, record.getBody()));
        assertEquals(read.requestId(), record.getHeader(KafkaConstants.KEY));
        assertHeader(read.requestId(), record, "hookgate-request-id");
        assertHeader("2031-05-04T03:02:01.123Z", record, "hookgate-received-at");
        assertHeader("/webhooks/toloka", record, "hookgate-request-path");
        assertHeader("application/json", record, "hookgate-content-type");
        assertHeader(Integer.toString(RAW_BODY.length), record, "hookgate-body-size");
        assertHeader(SIGNATURE, record, "toloka-signature");
        assertNull(record.getHeader("User-Agent"));
    }

    /** An exchange as the dead-letter channel hands it over: the failure caught, the HTTP layer's headers still on. */
    private Exchange failedExchange(Throwable failure) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        Message message = exchange.getMessage();
        message.setHeader("User-Agent", "curl/8.5.0");
        message.setHeader(Exchange.HTTP_PATH, "/webhooks/toloka");
        message.setHeader("Toloka-Signature", SIGNATURE);
        message.setHeader("Host", "hookgate.example");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("hookgate-source", "spoofed-by-the-sender");
        message.setBody("something a later step put here");
        return exchange;
    }

    private static void assertHeader(String expected, Message record, String name) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8),
                assertInstanceOf(byte[].class, record.getHeader(name)), name);
    }
}
