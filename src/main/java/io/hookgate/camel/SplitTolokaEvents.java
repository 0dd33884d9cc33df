package io.hookgate.camel;

import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
import io.hookgate.toloka.TopicTemplate;
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
 * Turns a verified Toloka batch into one Kafka record per event, as the message body: a list of
 * messages that the Kafka endpoint sends together, asynchronously, and acknowledges as a whole (the
 * exchange continues once every record is acknowledged, or fails if any is not).
 *
 * <p>Each record: topic from the {@link TopicTemplate}; key {@code assignment_id}, else
 * {@code pool_id}; value the event's JSON object exactly as received; headers source, event type,
 * uuid, pool, project, request id and received-at, as UTF-8 bytes.
 */
public final class SplitTolokaEvents implements Processor {

    /** Exchange property: how many events the request carried. */
    public static final String EVENT_COUNT = "hookgate.eventCount";

    private final TopicTemplate topics;

    public SplitTolokaEvents(TopicTemplate topics) {
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @Override
    public void process(Exchange exchange) throws MalformedBatchException {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        List<TolokaEvent> events = TolokaBatch.parse(request.body());
        String receivedAt = request.receivedAt().toString();
        List<Message> records = new ArrayList<>(events.size());
        for (TolokaEvent event : events) {
            Message record = new DefaultMessage(exchange);
            record.setHeader(KafkaConstants.OVERRIDE_TOPIC, topics.topicFor(event.type()));
            if (event.key() != null) {
                record.setHeader(KafkaConstants.KEY, event.key());
            }
            header(record, HookgateHeaders.SOURCE, request.source());
            header(record, HookgateHeaders.TOLOKA_EVENT_TYPE, event.type());
            header(record, HookgateHeaders.TOLOKA_EVENT_UUID, event.uuid());
            header(record, HookgateHeaders.TOLOKA_POOL_ID, event.poolId());
            header(record, HookgateHeaders.TOLOKA_PROJECT_ID, event.projectId());
            header(record, HookgateHeaders.REQUEST_ID, request.requestId());
            header(record, HookgateHeaders.RECEIVED_AT, receivedAt);
            record.setBody(event.json());
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
