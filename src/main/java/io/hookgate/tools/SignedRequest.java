package io.hookgate.tools;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A request ready to go: where, the headers in the order they are sent (Content-Type first, then the
 * provider's signature headers), and the exact body bytes. It holds a signature, never a secret.
 *
 * @param url where to POST
 * @param headers header name to value, in sending order
 * @param body the exact bytes that were signed and are sent
 * @param bodyFile the file the body was read from, as the user named it; null when it came from
 *     {@code --data} or standard input
 */
record SignedRequest(URI url, Map<String, String> headers, byte[] body, String bodyFile) {

    SignedRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }
}
