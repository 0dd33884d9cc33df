package io.hookgate.camel;

import static io.hookgate.wire.RejectedRequestException.Reason.INCOMPLETE_BODY;
import static io.hookgate.wire.RejectedRequestException.Reason.PAYLOAD_TOO_LARGE;

import io.hookgate.wire.RejectedRequestException;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The first step of every receiving route: gives the request its id, records what came in as an
 * {@link InboundRequest}, and reads the raw body bytes into the message body.
 *
 * <p>The platform-http endpoint is configured with {@code useBodyHandler=false}, so the body arrives
 * as the paused Vert.x request and is read here ({@link BodyRead}): nothing parses it first (Vert.x
 * would decode a form-encoded body into fields and lose the bytes a signature covers), and a body over
 * the limit is refused as soon as its declared or read size passes the limit, before it is buffered.
 * Under hookgate's own engine ({@link PreReadingHttpEngine}) the same read has been started on the
 * event loop before the route ran, and is usually over; its outcome is turned into the answer here all
 * the same. Any other body type (another HTTP component in a drop-in deployment) is converted to bytes
 * and then checked.
 */
public final class ReadRequest implements Processor {

    /** A Content-Length hookgate takes as a number (compiled once: {@code String.matches} compiles per call). */
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");

    private final String source;
    private final List<String> signatureHeaderNames;
    private final long maxBodyBytes;
    private final Duration readTimeout;
    private final Clock clock;

    /**
     * @param source the provider this route serves, e.g. {@code toloka}
     * @param signatureHeaderNames the provider headers to keep for the dead-letter record
     * @param maxBodyBytes the largest body accepted
     * @param readTimeout how long the body may take to arrive once the headers are in
     */
    public ReadRequest(String source, List<String> signatureHeaderNames, long maxBodyBytes,
            Duration readTimeout, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.signatureHeaderNames = List.copyOf(signatureHeaderNames);
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("hookgate.http.max-body-bytes must be between 1 and 2 GiB");
        }
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        HookgateMetrics.markRequestStarted(exchange);
        Message message = exchange.getMessage();
        Map<String, String> signatureHeaders = new LinkedHashMap<>();
        for (String name : signatureHeaderNames) {
            String value = message.getHeader(name, String.class);
            if (value != null) {
                signatureHeaders.put(name, value);
            }
        }
        Long declaredSize = declaredSize(message.getHeader(Exchange.CONTENT_LENGTH, String.class));
        InboundRequest request = new InboundRequest(newRequestId(), source, clock.instant(),
                message.getHeader(Exchange.HTTP_PATH, String.class),
                message.getHeader(Exchange.CONTENT_TYPE, String.class),
                Map.copyOf(signatureHeaders), new byte[0], declaredSize == null ? 0 : declaredSize);
        exchange.setProperty(InboundRequest.PROPERTY, request);

        if (declaredSize != null && declaredSize > maxBodyBytes) {
            throw tooLarge(exchange, declaredSize);
        }
        Object received = message.getBody();
        byte[] body;
        if (received instanceof BodyRead preRead) { // read on the event loop by PreReadingHttpEngine
            body = await(preRead, exchange);
        } else if (received instanceof HttpServerRequest http) {
            body = await(BodyRead.start(http, maxBodyBytes), exchange);
        } else {
            body = Objects.requireNonNullElse(message.getBody(byte[].class), new byte[0]);
        }
        if (body.length > maxBodyBytes) {
            throw tooLarge(exchange, body.length);
        }
        exchange.setProperty(InboundRequest.PROPERTY, request.withBody(body));
        message.setBody(body);
    }

    private byte[] await(BodyRead read, Exchange exchange) throws InterruptedException {
        try {
            return read.result().get(readTimeout.toMillis(), TimeUnit.MILLISECONDS).getBytes();
        } catch (TimeoutException e) {
            read.timeOut();
            throw timedOut();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BodyRead.TooLarge tooLarge) {
                throw tooLarge(exchange, tooLarge.sizeSeen());
            }
            if (e.getCause() instanceof TimeoutException) {
                throw timedOut();
            }
            throw new RejectedRequestException(INCOMPLETE_BODY, "the connection failed while the body was read");
        }
    }

    private RejectedRequestException timedOut() {
        return new RejectedRequestException(INCOMPLETE_BODY,
                "the body did not arrive within " + readTimeout.toSeconds() + " s");
    }

    /**
     * Content-Length as a number, or null when absent or not a number (then the body is read and
     * measured): nothing may fail before the request is recorded, or its dead-letter record would
     * have no request id or source.
     */
    static Long declaredSize(String contentLength) {
        String trimmed = contentLength == null ? null : contentLength.trim();
        if (trimmed == null || !DECIMAL.matcher(trimmed).matches()) {
            return null;
        }
        return Long.parseLong(trimmed);
    }

    /** Records the size seen so far (the dead-letter record keeps the size, not the body) and refuses. */
    private RejectedRequestException tooLarge(Exchange exchange, long size) {
        InboundRequest request = exchange.getProperty(InboundRequest.PROPERTY, InboundRequest.class);
        exchange.setProperty(InboundRequest.PROPERTY, request.withBodySize(size));
        return new RejectedRequestException(PAYLOAD_TOO_LARGE,
                "the body exceeds " + maxBodyBytes + " bytes (at least " + size + ")");
    }

    /** A random (version 4) UUID without SecureRandom's contention: ids need uniqueness, not secrecy. */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }
}
