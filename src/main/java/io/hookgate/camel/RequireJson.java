package io.hookgate.camel;

import static io.hookgate.wire.RejectedRequestException.Reason.UNSUPPORTED_MEDIA_TYPE;

import io.hookgate.wire.RejectedRequestException;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Refuses a request whose Content-Type is not JSON ({@code application/json} or a
 * {@code application/*+json} type, any parameters). Both providers send {@code application/json};
 * a form type usually means a hand-made request (curl's {@code -d}), refused with 415 and
 * dead-lettered with its raw bytes.
 */
public final class RequireJson implements Processor {

    @Override
    public void process(Exchange exchange) {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        if (!isJson(request.contentType())) {
            throw new RejectedRequestException(UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }
}
