package io.hookgate.camel;

import io.hookgate.signature.TolokaVerifier;
import io.hookgate.signature.VerificationException;
import io.hookgate.wire.HookgateHeaders;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Verifies the {@code Toloka-Signature} of a request over its raw body bytes, before anything parses
 * them. A failure is thrown as {@link VerificationException}; the error handling routes it to the
 * dead-letter topic and answers 401. The timestamp window is judged at the request's arrival
 * ({@link InboundRequest#receivedAt}).
 */
public final class VerifyTolokaSignature implements Processor {

    private final TolokaVerifier verifier;

    public VerifyTolokaSignature(TolokaVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public void process(Exchange exchange) throws VerificationException {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        verifier.verify(request.signatureHeaders().get(HookgateHeaders.TOLOKA_SIGNATURE), request.body(),
                request.receivedAt());
    }
}
