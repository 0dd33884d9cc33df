package io.hookgate.camel;

import java.time.Duration;
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
            answer(exchange, request, 200,
                    "{\"status\":\"accepted\",\"events\":" + events + ",\"request_id\":\"" + request.requestId() + "\"}");
            metrics.answered(exchange, request.source(), "accepted");
            LOG.info("request {} source={} outcome=accepted events={} duration_ms={}",
                    request.requestId(), request.source(), events, millisSince(exchange));
        };
    }

    /** The rejection's status, after its dead-letter record was written. */
    public static Processor rejected(HookgateMetrics metrics) {
        return exchange -> {
            InboundRequest request = request(exchange);
            Rejection rejection = exchange.getProperty(DeadLetterRecord.REJECTION, Rejection.class);
            String detail = rejection.detail() == null ? "" : ",\"detail\":\"" + jsonEscape(rejection.detail()) + "\"";
            answer(exchange, request, rejection.status(), "{\"error\":\"" + rejection.reason() + "\"" + detail
                    + (request == null ? "" : ",\"request_id\":\"" + request.requestId() + "\"") + "}");
            if (rejection.closeConnection()) {
                exchange.getMessage().setHeader("Connection", "close");
            }
            String source = request == null ? "unknown" : request.source();
            metrics.deadLettered(source, rejection.reason());
            metrics.answered(exchange, source, "rejected");
            LOG.warn("request {} source={} outcome=rejected reason={} status={} duration_ms={}",
                    request == null ? "-" : request.requestId(), source,
                    rejection.reason(), rejection.status(), millisSince(exchange));
        };
    }

    /**
     * 503 with {@code Retry-After} when Kafka did not acknowledge in time: nothing was accepted, the
     * sender should retry (some of the batch's records may have been written; see the README).
     */
    public static Processor unavailable(Duration retryAfter, HookgateMetrics metrics) {
        String seconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
        return exchange -> {
            InboundRequest request = request(exchange);
            Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(HookgateHeaders.HTTP_RETRY_AFTER, seconds);
            answer(exchange, request, 503, "{\"error\":\"kafka-unavailable\""
                    + (request == null ? "" : ",\"request_id\":\"" + request.requestId() + "\"") + "}");
            String source = request == null ? "unknown" : request.source();
            metrics.answered(exchange, source, "unavailable");
            LOG.warn("request {} source={} outcome=unavailable status=503 duration_ms={} cause={}",
                    request == null ? "-" : request.requestId(), source,
                    millisSince(exchange), failure == null ? "-" : failure.toString());
        };
    }

    private static void answer(Exchange exchange, InboundRequest request, int status, String json) {
        Message message = exchange.getMessage();
        message.removeHeader("Connection"); // the request's own; only a rejection may set "close"
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(HookgateHeaders.HTTP_CONTENT_TYPE, "application/json");
        if (request != null) {
            message.setHeader(HookgateHeaders.REQUEST_ID, request.requestId());
        }
        message.setBody(json);
    }

    private static InboundRequest request(Exchange exchange) {
        return exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
    }

    /** Monotonic time since the request started to be read; -1 if it never was. */
    static long millisSince(Exchange exchange) {
        Long started = exchange.getProperty(HookgateMetrics.REQUEST_STARTED, Long.class);
        return started == null ? -1 : (System.nanoTime() - started) / 1_000_000;
    }

    /** Details are hookgate's own fixed texts; escape anyway so the answer is always valid JSON. */
    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
