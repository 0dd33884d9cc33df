package io.hookgate.camel;

import java.time.Instant;
import java.util.Map;

/**
 * What hookgate knows about one HTTP request once it has read it, kept as one exchange property
 * ({@link #PROPERTY}) so that the dead-letter path can record the request exactly as it came, whatever
 * step failed.
 *
 * @param requestId one id per HTTP request, on every record, answer and log line about it
 * @param source the provider the route serves, e.g. {@code toloka}
 * @param receivedAt when hookgate started reading the request
 * @param path the request path
 * @param contentType the Content-Type header as received, or null
 * @param signatureHeaders the provider's signature headers as received (name → value), for the
 *     dead-letter record; never a secret
 * @param body the raw body bytes, or an empty array when the body was refused unread (too large)
 * @param bodySize the body's size in bytes as far as known (declared or read)
 */
public record InboundRequest(
        String requestId,
        String source,
        Instant receivedAt,
        String path,
        String contentType,
        Map<String, String> signatureHeaders,
        byte[] body,
        long bodySize) {

    public static final String PROPERTY = "hookgate.request";

    /** For a body refused unread: its size as far as known, no bytes. */
    public InboundRequest withBodySize(long size) {
        return new InboundRequest(requestId, source, receivedAt, path, contentType, signatureHeaders,
                new byte[0], size);
    }

    public InboundRequest withBody(byte[] newBody) {
        return new InboundRequest(requestId, source, receivedAt, path, contentType, signatureHeaders,
                newBody, newBody.length);
    }
}
