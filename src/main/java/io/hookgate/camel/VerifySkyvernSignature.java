package io.hookgate.camel;

import io.hookgate.signature.SkyvernVerifier;
import io.hookgate.signature.VerificationException;
import io.hookgate.wire.HookgateHeaders;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Verifies {@code x-skyvern-signature} (HMAC-SHA256 of the raw body with an API key) before anything
 * parses the body; {@code x-skyvern-timestamp} is checked only when a window is configured.
 */
public final class VerifySkyvernSignature implements Processor {

    private final SkyvernVerifier verifier;

    public VerifySkyvernSignature(SkyvernVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public void process(Exchange exchange) throws VerificationException {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        verifier.verify(request.signatureHeaders().get(HookgateHeaders.SKYVERN_SIGNATURE),
                request.signatureHeaders().get(HookgateHeaders.SKYVERN_TIMESTAMP), request.body(),
                request.receivedAt());
    }
}
