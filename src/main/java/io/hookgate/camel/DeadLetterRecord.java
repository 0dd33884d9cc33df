package io.hookgate.camel;

import static io.hookgate.camel.SplitTolokaEvents.header;

import io.hookgate.wire.HookgateHeaders;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead-letter record of a refused request, on the dead-letter channel: value = the raw
 * body exactly as received (empty when it was refused unread, as too large), key = the request id,
 * headers = reason, detail, source, request path, the provider's signature headers as received
 * (under their own names, lower-cased, e.g. {@code toloka-signature}),
 * content type, body size, request id, received-at. The {@link Rejection} is kept as an exchange
 * property for {@link Answers#rejected()}.
 *
 * <p>Everything the HTTP layer put on the message is dropped first, so only these headers reach the
 * record and the answer.
 */
public final class DeadLetterRecord implements Processor {

    /** Exchange property holding the {@link Rejection} being answered. */
    public static final String REJECTION = "hookgate.rejection";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecord.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Rejection rejection = Rejection.of(failure);
        exchange.setProperty(REJECTION, rejection);
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        if (rejection.isInternalError()) {
            LOG.error("request {}: unexpected failure, dead-lettered",
                    request == null ? "(unread)" : request.requestId(), failure);
        }

        Message record = exchange.getMessage();
        record.removeHeaders("*");
        header(record, HookgateHeaders.REASON, rejection.reason());
        header(record, HookgateHeaders.DETAIL, rejection.detail());
        if (request == null) { // failed before the request was read: nothing more is known
            record.setBody(new byte[0]);
            return;
        }
        record.setHeader(KafkaConstants.KEY, request.requestId());
        header(record, HookgateHeaders.SOURCE, request.source());
        header(record, HookgateHeaders.REQUEST_ID, request.requestId());
        header(record, HookgateHeaders.RECEIVED_AT, request.receivedAt().toString());
        header(record, HookgateHeaders.REQUEST_PATH, request.path());
        header(record, HookgateHeaders.CONTENT_TYPE, request.contentType());
        header(record, HookgateHeaders.BODY_SIZE, Long.toString(request.bodySize()));
        // under the provider's own header names, lower-cased: what a replay re-verifies
        request.signatureHeaders().forEach((name, value) -> header(record, name.toLowerCase(Locale.ROOT), value));
        record.setBody(request.body());
    }
}
