package io.hookgate.camel;

import io.hookgate.deadletter.DropWarnings;
import io.hookgate.deadletter.TokenBucket;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The dead-letter limit, right after {@link DeadLetterRecord}: so that a flood of invalid requests
 * cannot fill the broker, refused requests are dead-lettered at most at a configured rate (a
 * {@link TokenBucket}); beyond it, the record is dropped: {@link #DROPPED} is set on the exchange
 * (the route then skips the write), the drop is counted
 * ({@code hookgate_dead_letters_dropped_total{source,reason}}) and reported in the log at most every
 * {@link #WARNING_INTERVAL} ({@link DropWarnings}). The sender still gets its 4xx. Failures of hookgate
 * itself (500) are always recorded and take no permit.
 */
public final class LimitDeadLetters implements Processor {

    /** Exchange property: {@code true} when the dead-letter record is dropped, {@code false} when it is written. */
    public static final String DROPPED = "hookgate.deadLetterDropped";

    /** The least time between two warnings about drops. */
    public static final Duration WARNING_INTERVAL = Duration.ofSeconds(10);

    private final TokenBucket bucket;
    private final DropWarnings warnings;
    private final HookgateMetrics metrics;

    public LimitDeadLetters(TokenBucket bucket, DropWarnings warnings, HookgateMetrics metrics) {
        this.bucket = bucket;
        this.warnings = warnings;
        this.metrics = metrics;
    }

    /**
     * The limit of {@code maxPerSecond} records a second with bursts of {@code burst}, or none when
     * {@code maxPerSecond} is 0. The setting names (e.g. {@code hookgate.dead-letter.max-per-second},
     * {@code hookgate.dead-letter.burst}) tell the warnings' reader what to change.
     */
    public static LimitDeadLetters of(long maxPerSecond, long burst, LongSupplier nanoTime, HookgateMetrics metrics,
            String maxPerSecondSetting, String burstSetting) {
        TokenBucket bucket = maxPerSecond == 0 ? TokenBucket.unlimited() : new TokenBucket(maxPerSecond, burst, nanoTime);
        String limit = maxPerSecondSetting + "=" + maxPerSecond + ", " + burstSetting + "=" + burst;
        return new LimitDeadLetters(bucket, DropWarnings.logged(WARNING_INTERVAL, nanoTime, limit), metrics);
    }

    /** Whether {@link #process} decided to drop the exchange's dead-letter record. */
    static boolean dropped(Exchange exchange) {
        return exchange.getProperty(DROPPED, false, Boolean.class);
    }

    @Override
    public void process(Exchange exchange) {
        Rejection rejection = exchange.getProperty(DeadLetterRecord.REJECTION, Rejection.class);
        boolean drop = rejection != null && !rejection.isInternalError() && !bucket.tryAcquire();
        exchange.setProperty(DROPPED, drop);
        if (!drop) {
            warnings.tick();
            return;
        }
        metrics.deadLetterDropped(Answers.source(exchange), rejection.reason());
        warnings.dropped(rejection.reason());
    }
}
