package io.hookgate.camel;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.Published;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * For the {@code toloka-source} Kamelet: turns a verified Toloka batch into one message per event, as the
 * message body, each the record {@link FanOut#tolokaEvents} describes (topic, key, headers, the event's
 * JSON exactly as received). hookgate's own route publishes through the intake topic instead.
 */
public final class SplitTolokaEvents implements Processor {

    /** Exchange property: how many events the request carried. */
    public static final String EVENT_COUNT = "hookgate.eventCount";

    private final FanOut fanOut;

    public SplitTolokaEvents(FanOut fanOut) {
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
    }

    @Override
    public void process(Exchange exchange) throws MalformedBatchException {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        List<Published> events = fanOut.tolokaEvents(TolokaBatch.parse(request.body()), request.requestId(),
                request.receivedAt());
        List<Message> records = new ArrayList<>(events.size());
        for (Published event : events) {
            Message record = new DefaultMessage(exchange);
            record.setHeader(KafkaConstants.OVERRIDE_TOPIC, event.topic());
            if (event.key() != null) {
                record.setHeader(KafkaConstants.KEY, event.key());
            }
            event.headers().forEach((name, value) -> header(record, name, value));
            record.setBody(event.value());
            records.add(record);
        }
        exchange.setProperty(EVENT_COUNT, events.size());
        exchange.getMessage().setBody(records);
        HookgateMetrics.markPublishStarted(exchange);
    }

    /** Record headers go out as UTF-8 bytes: Camel's default serializer would use the platform charset. */
    static void header(Message record, String name, String value) {
        if (value != null) {
            record.setHeader(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
