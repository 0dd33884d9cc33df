package io.hookgate.camel;

import static io.hookgate.camel.SplitTolokaEvents.header;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.totp.LoginCodes;
import io.hookgate.wire.HookgateHeaders;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a verified Skyvern TOTP poll, {@code POST <path>/{identifier}} with an optional
 * {@code task_id}, {@code workflow_run_id}, {@code workflow_permanent_id}: finds the login's code
 * ({@link LoginCodes}) and keeps the answer in an exchange property for {@link #answer()}, and makes
 * the message the poll's audit record (identifier, run ids, answered or not, time; never the code).
 *
 * <p>An identifier with no TOTP key and no relayed code is answered {@code ""} like "not yet",
 * because Skyvern takes anything but 200 as a failed poll; it is logged once as a warning.
 */
public final class DescribeTotpPoll implements Processor {

    /** Exchange property: the JSON answer for Skyvern (holds the code: never logged or recorded). */
    static final String ANSWER = "hookgate.totpAnswer";
    /** Exchange property: whether the answer carries a code, and for which login (for the log line). */
    static final String ANSWERED = "hookgate.totpAnswered";
    static final String IDENTIFIER = "hookgate.totpIdentifier";

    private static final Logger LOG = LoggerFactory.getLogger(DescribeTotpPoll.class);
    private static final Logger REQUESTS = LoggerFactory.getLogger("io.hookgate.requests");
    private static final int MAX_WARNED = 10_000;

    private final LoginCodes codes;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public DescribeTotpPoll(LoginCodes codes) {
        this.codes = Objects.requireNonNull(codes, "codes");
    }

    @Override
    public void process(Exchange exchange) {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        Message message = exchange.getMessage();
        String asSent = message.getHeader("identifier", String.class);
        ObjectNode poll = JsonBodies.object(request.body());
        String taskId = JsonBodies.optionalText(poll, "task_id");
        String workflowRunId = JsonBodies.optionalText(poll, "workflow_run_id");
        String workflowPermanentId = JsonBodies.optionalText(poll, "workflow_permanent_id");

        String identifier = LoginCodes.normalize(asSent);
        String code = identifier == null ? null : codes.codeFor(identifier, taskId, workflowRunId).orElse(null);
        if (code == null && (identifier == null || !codes.hasTotpKey(identifier))) {
            warnOnce(identifier == null ? "(invalid)" : identifier);
        }

        ObjectNode answer = JsonBodies.MAPPER.createObjectNode();
        answer.put("task_id", taskId);
        answer.put("verification_code", code == null ? "" : code);
        exchange.setProperty(ANSWER, JsonBodies.answer(answer));

        ObjectNode audit = JsonBodies.MAPPER.createObjectNode();
        audit.put("identifier", identifier);
        audit.put("task_id", taskId);
        audit.put("workflow_run_id", workflowRunId);
        audit.put("workflow_permanent_id", workflowPermanentId);
        audit.put("answered", code != null);
        audit.put("polled_at", request.receivedAt().toString());
        audit.put("request_id", request.requestId());
        message.removeHeaders("*");
        if (identifier != null) {
            message.setHeader(KafkaConstants.KEY, identifier);
        }
        header(message, HookgateHeaders.SOURCE, request.source());
        header(message, HookgateHeaders.REQUEST_ID, request.requestId());
        header(message, HookgateHeaders.RECEIVED_AT, request.receivedAt().toString());
        message.setBody(JsonBodies.bytes(audit));
        exchange.setProperty(ANSWERED, code != null);
        exchange.setProperty(IDENTIFIER, identifier);
        HookgateMetrics.markPublishStarted(exchange);
    }

    /** 200 with Skyvern's expected body, once the poll's audit record is in Kafka. */
    public static Processor answer(HookgateMetrics metrics) {
        return exchange -> {
            InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
            Message message = exchange.getMessage();
            metrics.published(exchange, request.source()); // reads the record metadata: before the headers go
            message.removeHeaders("*");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setHeader(HookgateHeaders.HTTP_CONTENT_TYPE, "application/json");
            message.setHeader(HookgateHeaders.REQUEST_ID, request.requestId());
            message.setBody(exchange.getProperty(ANSWER, String.class));
            String outcome = exchange.getProperty(ANSWERED, false, Boolean.class) ? "code-answered" : "not-yet";
            metrics.answered(exchange, request.source(), outcome);
            REQUESTS.info("request {} source={} outcome={} identifier={} duration_ms={}", request.requestId(),
                    request.source(), outcome, exchange.getProperty(IDENTIFIER, String.class),
                    Answers.millisSince(exchange));
        };
    }

    private void warnOnce(String identifier) {
        if (warned.size() < MAX_WARNED && warned.add(identifier)) {
            LOG.warn("Skyvern polls for login '{}', which has no TOTP key (hookgate.skyvern.totp.{}) and no "
                    + "relayed code yet: answering \"\" (Skyvern polls again)", identifier, identifier);
        }
    }
}
