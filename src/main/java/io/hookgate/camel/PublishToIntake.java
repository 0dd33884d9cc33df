package io.hookgate.camel;

import static io.hookgate.camel.SplitTolokaEvents.header;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.IntakeRecord;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Makes a verified request into its {@link IntakeRecord}, as the message the intake topic's Kafka endpoint
 * sends: key, headers, and the raw body untouched. The body is checked first, so that what reaches the
 * intake topic is something the fan-out can publish: a Toloka body that is not {@code {"events":[{...}]}},
 * or a Skyvern body that is not a JSON object, is {@code malformed-body}.
 */
public final class PublishToIntake implements Processor {

    @FunctionalInterface
    private interface Describe {
        /** The intake record of a verified request, and how many events it carries. */
        Described apply(InboundRequest request) throws Exception;
    }

    record Described(IntakeRecord intake, int events) {
    }

    private final Describe describe;

    private PublishToIntake(Describe describe) {
        this.describe = describe;
    }

    /** A Toloka batch, keyed by its pool. */
    public static PublishToIntake toloka() {
        return new PublishToIntake(request -> toloka(request.body(), request.requestId(), request.receivedAt()));
    }

    /** A Skyvern run webhook, keyed by the hash of its body. */
    public static PublishToIntake skyvern(FanOut fanOut) {
        Objects.requireNonNull(fanOut, "fanOut");
        return new PublishToIntake(
                request -> skyvern(fanOut, request.body(), request.requestId(), request.receivedAt()));
    }

    /**
     * The intake record of a verified Toloka body, and its event count; also what the dead-letter replay
     * writes ({@link Recheck}), so that both make the same record.
     *
     * @throws MalformedBatchException when the body is not {@code {"events":[{...}]}}
     */
    static Described toloka(byte[] body, String requestId, Instant receivedAt) throws MalformedBatchException {
        List<TolokaEvent> events = TolokaBatch.parse(body);
        return new Described(IntakeRecord.toloka(events, requestId, receivedAt, body), events.size());
    }

    /**
     * The intake record of a verified Skyvern run webhook, once the body has passed the check the fan-out
     * will make; also what the dead-letter replay writes ({@link Recheck}).
     *
     * @throws MalformedBatchException when the body is not a JSON object
     */
    static Described skyvern(FanOut fanOut, byte[] body, String requestId, Instant receivedAt)
            throws MalformedBatchException {
        fanOut.skyvernRun(body, requestId, receivedAt); // what the fan-out will do
        return new Described(IntakeRecord.skyvern(requestId, receivedAt, body), 1);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        Described described = describe.apply(request);
        Message record = exchange.getMessage();
        record.removeHeaders("*"); // the request's headers stay off the record
        record.setHeader(KafkaConstants.KEY, described.intake().key());
        described.intake().headers().forEach((name, value) -> header(record, name, value));
        record.setBody(described.intake().body());
        exchange.setProperty(SplitTolokaEvents.EVENT_COUNT, described.events());
        HookgateMetrics.markPublishStarted(exchange);
    }
}
