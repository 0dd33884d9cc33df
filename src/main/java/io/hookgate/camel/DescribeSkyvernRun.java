package io.hookgate.camel;

import static io.hookgate.camel.SplitTolokaEvents.header;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.Published;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * For the {@code skyvern-source} Kamelet: makes a verified Skyvern run webhook into the message to emit,
 * the record {@link FanOut#skyvernRun} describes (raw body untouched, key, run headers). A body that is
 * not a JSON object is malformed. hookgate's own route publishes through the intake topic instead.
 */
public final class DescribeSkyvernRun implements Processor {

    private final FanOut fanOut;

    public DescribeSkyvernRun(FanOut fanOut) {
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        Published run = fanOut.skyvernRun(request.body(), request.requestId(), request.receivedAt());
        Message record = exchange.getMessage();
        record.removeHeaders("*"); // the request's headers stay off the record
        if (run.key() != null) {
            record.setHeader(KafkaConstants.KEY, run.key());
        }
        run.headers().forEach((name, value) -> header(record, name, value));
        record.setBody(run.value());
        HookgateMetrics.markPublishStarted(exchange);
    }
}
