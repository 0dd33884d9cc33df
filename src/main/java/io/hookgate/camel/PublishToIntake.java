package io.hookgate.camel;

import static io.hookgate.camel.SplitTolokaEvents.header;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.IntakeRecord;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
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

    private record Described(IntakeRecord intake, int events) {
    }

    private final Describe describe;

    private PublishToIntake(Describe describe) {
        this.describe = describe;
    }

    /** A Toloka batch, keyed by its pool. */
    public static PublishToIntake toloka() {
        return new PublishToIntake(request -> {
            List<TolokaEvent> events = TolokaBatch.parse(request.body());
            return new Described(IntakeRecord.toloka(events, request.requestId(), request.receivedAt(), request.body()),
                    events.size());
        });
    }

    /** A Skyvern run webhook, keyed by the hash of its body. */
    public static PublishToIntake skyvern(FanOut fanOut) {
        Objects.requireNonNull(fanOut, "fanOut");
        return new PublishToIntake(request -> {
            fanOut.skyvernRun(request.body(), request.requestId(), request.receivedAt()); // what the fan-out will do
            return new Described(IntakeRecord.skyvern(request.requestId(), request.receivedAt(), request.body()), 1);
        });
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
