package io.hookgate.deadletter;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says that dead-letter records are being dropped without flooding the log itself: at most one
 * warning per interval, counting the records dropped since the previous one, by reason. The first
 * drop is reported at once; later ones by the first drop or written record ({@link #tick()}) after
 * the interval, so no count is lost, but it may wait for the next refused request (the metric is
 * exact at any time). A warning names reasons and counts only: never a body, a header or a secret.
 */
public final class DropWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(DropWarnings.class);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final String limit;
    private final Consumer<String> warn;
    private final Map<String, Long> pending = new TreeMap<>();
    private boolean warned;
    private long lastWarning;

    /**
     * @param interval the least time between two warnings
     * @param nanoTime the time source, e.g. {@code System::nanoTime}
     * @param limit the limit as configured, for the operator, e.g. the settings' names and values
     * @param warn where a warning goes
     */
    public DropWarnings(Duration interval, LongSupplier nanoTime, String limit, Consumer<String> warn) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.limit = limit;
        this.warn = warn;
    }

    /** Warnings to this class's logger, at WARN. */
    public static DropWarnings logged(Duration interval, LongSupplier nanoTime, String limit) {
        return new DropWarnings(interval, nanoTime, limit, LOG::warn);
    }

    /** One record refused for {@code reason} was dropped. */
    public void dropped(String reason) {
        String warning;
        synchronized (this) {
            pending.merge(reason, 1L, Long::sum);
            warning = dueWarning();
        }
        emit(warning);
    }

    /** A record was written: reports what was dropped before it, if a warning is due. */
    public void tick() {
        String warning;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            warning = dueWarning();
        }
        emit(warning);
    }

    /** The warning to give now, taking the pending counts, or null if the last one is too recent. */
    private String dueWarning() {
        long now = nanoTime.getAsLong();
        long since = now - lastWarning;
        if (warned && since >= 0 && since < intervalNanos) { // a clock that went back: due at once
            return null;
        }
        long total = pending.values().stream().mapToLong(Long::longValue).sum();
        String byReason = pending.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        pending.clear();
        warned = true;
        lastWarning = now;
        return "dead-letter limit reached: " + total + " dead-letter record(s) dropped since the last warning ("
                + byReason + "); their senders still got their 4xx. Limit: " + limit;
    }

    private void emit(String warning) {
        if (warning != null) {
            warn.accept(warning);
        }
    }
}
