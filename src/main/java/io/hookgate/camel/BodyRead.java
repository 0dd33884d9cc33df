package io.hookgate.camel;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The reading of a paused Vert.x request's body into memory, up to a limit. It is started either on the
 * event loop by {@link PreReadingHttpEngine}, before the route runs, or on the route's worker thread by
 * {@link ReadRequest}; either way {@link ReadRequest} waits for {@link #result()} and turns its failures
 * into answers. Its callbacks run on the request's event loop.
 */
final class BodyRead {

    /** The body passed {@code maxBytes}: reading stopped there. */
    static final class TooLarge extends Exception {
        private final long sizeSeen;

        private TooLarge(long sizeSeen) {
            super(null, null, false, false); // an outcome, not a fault: no stack trace
            this.sizeSeen = sizeSeen;
        }

        /** How many bytes had arrived, at least, when the body was refused. */
        long sizeSeen() {
            return sizeSeen;
        }
    }

    private final HttpServerRequest request;
    private final CompletableFuture<Buffer> result = new CompletableFuture<>();

    private BodyRead(HttpServerRequest request) {
        this.request = request;
    }

    /** Starts reading {@code request}'s body; {@code maxBytes} or fewer are kept, more end the read. */
    static BodyRead start(HttpServerRequest request, long maxBytes) {
        BodyRead read = new BodyRead(request);
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (read.result.isDone()) {
                return;
            }
            long size = body.length() + (long) chunk.length();
            if (size > maxBytes) {
                request.pause(); // read no further; the answer closes the connection (Rejection)
                read.result.completeExceptionally(new TooLarge(size));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(read.result::completeExceptionally);
        request.endHandler(ignored -> read.result.complete(body));
        request.resume();
        return read;
    }

    /**
     * The body once it has all arrived; or completed exceptionally with {@link TooLarge}, with a
     * {@link TimeoutException} after {@link #timeOut()}, or with the connection's failure.
     */
    CompletableFuture<Buffer> result() {
        return result;
    }

    /** Gives up waiting for the rest of the body: the request is paused and the result fails. */
    void timeOut() {
        if (result.completeExceptionally(new TimeoutException())) {
            request.pause();
        }
    }
}
