package io.hookgate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Graceful shutdown of the standalone process on SIGTERM (and SIGINT, Ctrl-C): stops camel-main the
 * way its own shutdown hook would (new requests get {@code 503} at once, requests in flight have
 * {@code camel.main.shutdown-timeout} to be answered, then the fan-out publishes what was accepted
 * and the embedded broker stops), but as an ordinary stop rather than from inside the JVM's shutdown,
 * so that {@link Hookgate#main} finishes every step, in order, and exits {@code 0}. Under the JVM's
 * default handling the process exits {@code 143} as soon as the Camel context is stopped, cutting off
 * what comes after it (the embedded broker's close).
 *
 * <p>A watchdog bounds the whole stop: if the process is still there {@link #MARGIN} after the shutdown
 * timeout, it halts with exit code {@code 1}. A second signal halts at once, also with {@code 1}.
 */
final class ShutdownOnSignal {

    /** What the stop may take beyond the shutdown timeout: the fan-out's last publish, closing clients. */
    static final Duration MARGIN = Duration.ofSeconds(10);
    /** Exit code when the stop had to be cut short. */
    static final int HALTED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownOnSignal.class);

    private final Main main;
    private final AtomicBoolean signalled = new AtomicBoolean();

    private ShutdownOnSignal(Main main) {
        this.main = main;
    }

    /** Handles SIGTERM and SIGINT for {@code main}; where a signal cannot be handled the JVM's default stays. */
    static void install(Main main) {
        ShutdownOnSignal handler = new ShutdownOnSignal(main);
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), handler::received);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // e.g. the JVM runs with -Xrs, or the platform has no such signal: camel-main's hook still stops Camel
                LOG.warn("cannot handle SIG{} ({}); on that signal the JVM's shutdown hooks stop hookgate instead",
                        name, e.getMessage());
            }
        }
    }

    private void received(Signal signal) {
        if (!signalled.compareAndSet(false, true)) {
            LOG.warn("SIG{} received again: stopping at once, exit code {}", signal.getName(), HALTED);
            Runtime.getRuntime().halt(HALTED);
            return;
        }
        Duration timeout = shutdownTimeout();
        Duration bound = timeout.plus(MARGIN);
        LOG.info("SIG{} received: stopping; new requests get 503, requests in flight have {} s to be answered, "
                + "{} s at most in all", signal.getName(), timeout.toSeconds(), bound.toSeconds());
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            LOG.error("hookgate did not stop within {} s of SIG{}: stopping at once, exit code {}",
                    bound.toSeconds(), signal.getName(), HALTED);
            Runtime.getRuntime().halt(HALTED);
        }, "hookgate-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        main.completed(); // Main#run returns once Camel has stopped; Hookgate#main then exits
    }

    /** Camel's graceful shutdown timeout ({@code camel.main.shutdown-timeout}), as configured. */
    private Duration shutdownTimeout() {
        CamelContext context = main.getCamelContext();
        if (context != null && context.getShutdownStrategy() != null) {
            TimeUnit unit = context.getShutdownStrategy().getTimeUnit();
            return Duration.ofMillis(unit.toMillis(context.getShutdownStrategy().getTimeout()));
        }
        return Duration.ofSeconds(main.configure().getShutdownTimeout());
    }
}
