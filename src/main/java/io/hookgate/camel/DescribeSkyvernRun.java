package io.hookgate.camel;

import static io.hookgate.camel.SplitTolokaEvents.header;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Makes a verified Skyvern run webhook into its Kafka record: the value stays the raw body bytes,
 * untouched (unknown fields and all); key {@code run_id}, else {@code workflow_run_id}, else
 * {@code task_id}; headers source, run type, status, request id, received-at. A body that is not a
 * JSON object is malformed.
 */
public final class DescribeSkyvernRun implements Processor {

    @Override
    public void process(Exchange exchange) {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        ObjectNode run = JsonBodies.object(request.body());
        String key = firstText(run, "run_id", "workflow_run_id", "task_id");

        Message record = exchange.getMessage();
        record.removeHeaders("*"); // the request's headers stay off the record
        if (key != null) {
            record.setHeader(KafkaConstants.KEY, key);
        }
        header(record, HookgateHeaders.SOURCE, request.source());
        header(record, HookgateHeaders.SKYVERN_RUN_TYPE, firstText(run, "run_type"));
        header(record, HookgateHeaders.SKYVERN_STATUS, firstText(run, "status"));
        header(record, HookgateHeaders.REQUEST_ID, request.requestId());
        header(record, HookgateHeaders.RECEIVED_AT, request.receivedAt().toString());
        record.setBody(request.body());
        HookgateMetrics.markPublishStarted(exchange);
    }

    /** The first of the fields that holds a non-empty scalar, as text. */
    private static String firstText(ObjectNode run, String... fields) {
        for (String field : fields) {
            var value = run.get(field);
            if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
                return value.asText();
            }
        }
        return null;
    }
}
