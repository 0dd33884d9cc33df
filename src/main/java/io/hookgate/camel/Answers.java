package io.hookgate.camel;

import java.time.Duration;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.wire.HookgateHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sender is answered, in one place: the status, a short JSON body, the request id header,
 * and the one log line per request. Nothing from the request is echoed; a rejection names its reason
 * and, except for signature failures, a detail safe to show.
 */
public final class Answers {

    private static final Logger LOG = LoggerFactory.getLogger("io.hookgate.requests");

    private Answers() {
    }

    /** 200 once every record is acknowledged: {@code {"status":"accepted","events":N,"request_id":"..."}}. */
    public static Processor accepted(HookgateMetrics metrics) {
        return exchange -> {
            InboundRequest request = request(exchange);
            int events = exchange.getProperty(SplitTolokaEvents.EVENT_COUNT, 1, Integer.class);
            metrics.published(exchange, request.source());
            ObjectNode json = JsonBodies.MAPPER.createObjectNode().put("status", "accepted").put("events", events);
            answer(exchange, request, 200, json);
            metrics.answered(exchange, request.source(), "accepted");
            LOG.info("request {} source={} outcome=accepted events={} duration_ms={}",
                    request.requestId(), request.source(), events, millisSince(exchange));
        };
    }

    /**
     * The rejection's status, after its dead-letter record was written, or dropped over the dead-letter
     * limit ({@link LimitDeadLetters}).
     */
    public static Processor rejected(HookgateMetrics metrics) {
        return exchange -> {
            InboundRequest request = request(exchange);
            Rejection rejection = exchange.getProperty(DeadLetterRecord.REJECTION, Rejection.class);
            ObjectNode json = JsonBodies.MAPPER.createObjectNode().put("error", rejection.reason());
            if (rejection.detail() != null) {
                json.put("detail", rejection.detail());
            }
            answer(exchange, request, rejection.status(), json);
            if (rejection.closeConnection()) {
                exchange.getMessage().setHeader("Connection", "close");
            }
            String source = source(exchange);
            boolean dropped = LimitDeadLetters.dropped(exchange);
            if (!dropped) {
                metrics.deadLettered(source, rejection.reason());
            }
            metrics.answered(exchange, source, "rejected");
            LOG.warn("request {} source={} outcome=rejected reason={} status={} duration_ms={}{}",
                    request == null ? "-" : request.requestId(), source,
                    rejection.reason(), rejection.status(), millisSince(exchange),
                    dropped ? " dead_letter=dropped" : "");
        };
    }

    /**
     * 503 with {@code Retry-After} when Kafka did not acknowledge in time: the request is not
     * acknowledged and the sender should retry (some of its records may already be in Kafka, and a
     * retry publishes them again; see the README).
     */
    public static Processor unavailable(Duration retryAfter, HookgateMetrics metrics) {
        String seconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
        return exchange -> {
            InboundRequest request = request(exchange);
            Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            answer(exchange, request, 503, JsonBodies.MAPPER.createObjectNode().put("error", "kafka-unavailable"));
            exchange.getMessage().setHeader(HookgateHeaders.HTTP_RETRY_AFTER, seconds);
            String source = source(exchange);
            metrics.answered(exchange, source, "unavailable");
            LOG.warn("request {} source={} outcome=unavailable status=503 duration_ms={} cause={}",
                    request == null ? "-" : request.requestId(), source,
                    millisSince(exchange), failure == null ? "-" : failure.toString());
        };
    }

    /**
     * The answer: status, JSON body (with the request id, when the request was read) and headers. The
     * message keeps no other header: platform-http converts every header of the message to text before
     * its filter ({@code httpAnswerHeaders}) drops those not sent, which cost a fifth of the event loop's
     * time with the request's and Camel's headers still there. The request's own {@code Connection} goes
     * with them; only a rejection may set {@code close}.
     */
    private static void answer(Exchange exchange, InboundRequest request, int status, ObjectNode json) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(HookgateHeaders.HTTP_CONTENT_TYPE, "application/json");
        if (request != null) {
            message.setHeader(HookgateHeaders.REQUEST_ID, request.requestId());
            json.put("request_id", request.requestId());
        }
        message.setBody(JsonBodies.answer(json));
    }

    /** The request's source, {@code unknown} when it failed before being read. */
    static String source(Exchange exchange) {
        InboundRequest request = request(exchange);
        return request == null ? "unknown" : request.source();
    }

    private static InboundRequest request(Exchange exchange) {
        return exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
    }

    /** Monotonic time since the request started to be read; -1 if it never was. */
    static long millisSince(Exchange exchange) {
        Long started = exchange.getProperty(HookgateMetrics.REQUEST_STARTED, Long.class);
        return started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
    }
}
