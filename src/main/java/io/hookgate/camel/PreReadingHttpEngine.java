package io.hookgate.camel;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.InflightRepository;

/**
 * platform-http's Vert.x engine, except that the receiving routes' bodies are read on the event loop,
 * before their route runs, rather than by {@link ReadRequest} on the worker thread platform-http runs
 * the route on, and that their worker is not held until the route ends.
 *
 * <p>platform-http-vertx hands every request to a worker thread ({@code executeBlocking}) and blocks it
 * until the route ends. With {@code useBodyHandler=false} the body is still unread then, so the worker
 * waited for the event loop to deliver it: one more hand-over between threads per request (futex and
 * scheduler work that profiling put at a large share of the workers' CPU), and a sender that stalls
 * mid-body held a worker thread for the whole read timeout. Here the consumer reads the body before it
 * hands the exchange over; the worker finds it read. The reading itself, its limit and its timeout are
 * the same ({@link BodyRead}), and {@link ReadRequest} still turns every outcome into the answer, so a
 * route behaves the same under either engine. A body declared larger than the limit is left unread:
 * {@link ReadRequest} refuses it from its Content-Length, as it does under the plain engine.
 *
 * <p>The worker is not held either while the route waits for Kafka: the consumer runs the route with
 * Camel's asynchronous processor, so the worker is free once the intake record is handed to the
 * producer, and writes the answer from the thread that ends the route (the producer's, by
 * {@link InlineExecutor}). That is one hand-over and one parked thread fewer per request. The answer
 * is the exchange's message as {@link Answers} leaves it (status, the headers {@code httpAnswerHeaders}
 * lets through, body): platform-http's own writer is package-private, and hookgate's routes need no
 * more of it. Under a deployment's own engine the routes still work, with platform-http holding the
 * worker until the route ends.
 *
 * <p>Only the routes in {@link #RECEIVING_ROUTES} are affected; any other platform-http route of the
 * same Camel context gets its body exactly as platform-http gives it. {@link HookgateBeans} binds this
 * engine only where platform-http would use its Vert.x engine anyway (none bound by the deployment, and
 * Vert.x's the one its factory names); a deployment's own engine is used as it is.
 */
public final class PreReadingHttpEngine extends VertxPlatformHttpEngine {

    /** The routes (routes/*.camel.yaml) whose first step is a {@link ReadRequest}. */
    static final Set<String> RECEIVING_ROUTES =
            Set.of("receive-toloka-events", "receive-skyvern-runs", "answer-skyvern-totp-polls");

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^/}]+)\\}");

    private final long maxBodyBytes;
    private final long readTimeoutMillis;
    /**
     * By path, what answers on a stopped receiving route's path instead of it (see {@code Consumer.doStop});
     * here rather than in the consumer, since a route that starts again may do so with a new consumer.
     */
    private final Map<String, io.vertx.ext.web.Route> unavailable = new ConcurrentHashMap<>();

    /** The same limit and timeout as the routes' {@link ReadRequest}s. */
    PreReadingHttpEngine(long maxBodyBytes, Duration readTimeout) {
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeoutMillis = readTimeout.toMillis();
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new Consumer(endpoint, processor);
    }

    /** What a receiving route answers while it is suspended or stopped: {@code 503}, as platform-http does. */
    private static void unavailable(RoutingContext ctx) {
        ctx.response().setStatusCode(503);
        ctx.end();
    }

    private final class Consumer extends VertxPlatformHttpConsumer {

        /** The id of this consumer's route if it is a receiving route, else null; known once the route starts it. */
        private volatile String receivingRouteId;
        private final String routerName;

        Consumer(PlatformHttpEndpoint endpoint, Processor processor) {
            this(endpoint, processor, VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
        }

        private Consumer(PlatformHttpEndpoint endpoint, Processor processor, String routerName) {
            super(endpoint, processor, getHandlers(), routerName);
            this.routerName = routerName;
        }

        /**
         * Finds this consumer's route by its endpoint: platform-http wraps this consumer in one of its own,
         * which is the one the route knows (and gives its id to).
         */
        @Override
        protected void doStart() throws Exception {
            receivingRouteId = getEndpoint().getCamelContext().getRoutes().stream()
                    .filter(route -> route.getEndpoint() == getEndpoint())
                    .map(Route::getRouteId)
                    .filter(RECEIVING_ROUTES::contains)
                    .findFirst().orElse(null);
            io.vertx.ext.web.Route standIn = unavailable.remove(vertxPath());
            if (standIn != null) {
                standIn.remove();
            }
            super.doStart();
        }

        /**
         * A receiving route, once stopped, leaves a handler on its path that answers {@code 503}, as the
         * route does while suspended, until it starts again or the server closes. Without it a request in
         * the moment between a graceful stop's end and the port's close got the router's {@code 404}, which
         * Skyvern does not retry: its run would have been lost. {@code 503} is retried by both senders.
         */
        @Override
        protected void doStop() throws Exception {
            super.doStop();
            if (receivingRouteId == null) {
                return;
            }
            CamelContext context = getEndpoint().getCamelContext();
            VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, routerName);
            if (router == null) { // the server on a port chosen at start-up
                router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME_ZERO);
            }
            if (router != null) {
                VertxPlatformHttpRouter on = router;
                unavailable.computeIfAbsent(vertxPath(),
                        path -> on.route(path).handler(PreReadingHttpEngine::unavailable));
            }
        }

        /** The route's path as platform-http registers it with Vert.x: {@code {name}} becomes {@code :name}. */
        private String vertxPath() {
            return PATH_PARAMETER.matcher(getEndpoint().getPath()).replaceAll(":$1");
        }

        /**
         * For a receiving route, platform-http's handling except that the worker is not held until the
         * route ends: it starts the route with Camel's asynchronous processor and is free as soon as the
         * route waits for Kafka; the answer is written when the route ends, from whichever thread ends it
         * (the intake producer's own, see {@link InlineExecutor}). Any other route is handled by
         * platform-http as it is.
         */
        @Override
        protected void handleRequest(RoutingContext ctx) {
            PlatformHttpEndpoint endpoint = getEndpoint();
            if (receivingRouteId == null || endpoint.isHttpProxy() || endpoint.isUseBodyHandler()) {
                super.handleRequest(ctx);
                return;
            }
            if (isSuspended()) {
                unavailable(ctx);
                return;
            }
            Exchange exchange = createExchange(false);
            exchange.setPattern(ExchangePattern.InOut);
            processHttpRequest(exchange, ctx).onComplete(populated -> {
                if (populated.failed()) {
                    fail(ctx, exchange, populated.cause());
                    return;
                }
                ctx.vertx().executeBlocking(() -> {
                    createUoW(exchange);
                    getAsyncProcessor().process(exchange, doneSync -> answer(ctx, exchange));
                    return null;
                }, false).onFailure(cause -> fail(ctx, exchange, cause));
            });
        }

        /**
         * Writes the exchange's message as the answer: its status ({@link Exchange#HTTP_RESPONSE_CODE}),
         * the headers the endpoint's filter lets through and its body, as {@link Answers} leaves them.
         * Nothing is written to a response already ended (the request timeout answered) or closed; the
         * exchange is finished whatever happens, so that it is never left counted in flight.
         */
        private void answer(RoutingContext ctx, Exchange exchange) {
            Future<Void> written;
            try {
                written = write(ctx, exchange);
            } catch (RuntimeException e) {
                // the request timeout may end the response on the event loop between the check and the write
                written = Future.succeededFuture();
            }
            written.onComplete(ignored -> finish(exchange));
        }

        /** Completes once the answer is written, or at once when there is nothing to write. */
        private Future<Void> write(RoutingContext ctx, Exchange exchange) {
            HttpServerResponse response = ctx.response();
            if (response.ended() || response.closed()) {
                return Future.succeededFuture();
            }
            if (exchange.getException() != null) { // the routes' error handling answers every failure
                report(ctx, exchange.getException());
                return Future.succeededFuture();
            }
            Message message = exchange.getMessage();
            HeaderFilterStrategy filter = getEndpoint().getHeaderFilterStrategy();
            response.setStatusCode(message.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class));
            message.getHeaders().forEach((name, value) -> {
                if (value != null && (filter == null || !filter.applyFilterToCamelHeaders(name, value, exchange))) {
                    response.putHeader(name, value.toString());
                }
            });
            byte[] body = message.getBody(byte[].class);
            return response.end(body == null ? Buffer.buffer() : Buffer.buffer(body));
        }

        /** A failure before the route ran: reported and answered as platform-http does; the exchange is done. */
        private void fail(RoutingContext ctx, Exchange exchange, Throwable cause) {
            report(ctx, cause);
            finish(exchange);
        }

        private void report(RoutingContext ctx, Throwable cause) {
            getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(),
                    cause);
            ctx.fail(cause);
        }

        private void finish(Exchange exchange) {
            doneUoW(exchange);
            releaseExchange(exchange, false);
        }

        /**
         * platform-http's own population (headers; with {@code useBodyHandler=false} the paused request as
         * the body), then, for a receiving route, the body read: the returned future, after which the route
         * is run, completes when the read has ended, whatever its outcome.
         */
        @Override
        protected Future<Void> populateCamelMessage(RoutingContext ctx, Exchange exchange, Message message) {
            return super.populateCamelMessage(ctx, exchange, message).compose(populated -> {
                if (!(message.getBody() instanceof HttpServerRequest request)
                        || receivingRouteId == null
                        || declaredLargerThanLimit(request)) {
                    return Future.succeededFuture();
                }
                countInFlight(ctx, exchange, receivingRouteId);
                BodyRead read = BodyRead.start(request, maxBodyBytes);
                message.setBody(read);
                long timer = ctx.vertx().setTimer(readTimeoutMillis, ignored -> read.timeOut());
                Promise<Void> ended = Promise.promise();
                read.result().whenComplete((body, failure) -> {
                    ctx.vertx().cancelTimer(timer);
                    ended.complete();
                });
                return ended.future();
            });
        }

        /**
         * Counts the request as in flight on its route from now until its answer has been written or its
         * connection has closed. Camel counts an exchange only once the route runs it, after the body
         * has arrived; a graceful stop waits for what its route counts, and would not wait for a body
         * still arriving. The two counts overlap, so there is no moment between them when neither holds.
         */
        private void countInFlight(RoutingContext ctx, Exchange exchange, String routeId) {
            InflightRepository inflight = getEndpoint().getCamelContext().getInflightRepository();
            inflight.add(exchange, routeId);
            ctx.addEndHandler(ended -> inflight.remove(exchange, routeId));
        }

        private boolean declaredLargerThanLimit(HttpServerRequest request) {
            Long declared = ReadRequest.declaredSize(request.getHeader("Content-Length"));
            return declared != null && declared > maxBodyBytes;
        }
    }
}
