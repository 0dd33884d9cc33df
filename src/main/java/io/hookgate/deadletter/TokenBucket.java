package io.hookgate.deadletter;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket: up to {@code burst} permits at once, refilled at {@code ratePerSecond}. Thread-safe
 * and cheap: the whole state is one {@link AtomicLong}, updated with one compare-and-set.
 *
 * <p>The state is the moment at which the bucket is full again (the generic cell rate algorithm's
 * "theoretical arrival time"): each permit moves it one interval ({@code 1 s / ratePerSecond}) later,
 * and a permit is refused while that would put it more than {@code burst} intervals ahead of now.
 * A new bucket is full. Time comes from an injected {@code nanoTime} source (monotonic, as
 * {@link System#nanoTime()}), compared by difference so that its origin does not matter; should it go
 * back (a test's clock), the bucket counts as full again.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Capacity beyond which {@code full - now} could overflow; far above any sensible setting. */
    private static final long MAX_CAPACITY_NANOS = Long.MAX_VALUE / 4;

    private final LongSupplier nanoTime;
    /** Nanoseconds per permit; 0 for a bucket without limit. */
    private final long interval;
    /** {@code burst * interval}: how far ahead of now {@link #full} may get. */
    private final long capacity;
    private final AtomicLong full;

    /**
     * @param ratePerSecond permits added per second, 1 to 10⁹
     * @param burst permits available at once (and at the start), at least 1
     * @param nanoTime the time source, e.g. {@code System::nanoTime}
     */
    public TokenBucket(long ratePerSecond, long burst, LongSupplier nanoTime) {
        if (ratePerSecond < 1 || ratePerSecond > NANOS_PER_SECOND) {
            throw new IllegalArgumentException("rate must be between 1 and " + NANOS_PER_SECOND + " per second");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.interval = NANOS_PER_SECOND / ratePerSecond;
        if (burst > MAX_CAPACITY_NANOS / interval) {
            throw new IllegalArgumentException("burst is too large for the rate");
        }
        this.capacity = burst * interval;
        this.nanoTime = nanoTime;
        this.full = new AtomicLong(nanoTime.getAsLong());
    }

    private TokenBucket() {
        this.interval = 0;
        this.capacity = 0;
        this.nanoTime = null;
        this.full = null;
    }

    /** A bucket that never refuses. */
    public static TokenBucket unlimited() {
        return new TokenBucket();
    }

    /** Takes one permit if there is one; never blocks. */
    public boolean tryAcquire() {
        if (interval == 0) {
            return true;
        }
        long now = nanoTime.getAsLong();
        while (true) {
            long current = full.get();
            long ahead = current - now;
            // behind now: the bucket has filled up; more than the capacity ahead can only be a clock that
            // went back (never System.nanoTime): taken as full too, rather than refusing for that long
            long next = (ahead < 0 || ahead > capacity ? now : current) + interval;
            if (next - now > capacity) {
                return false;
            }
            if (full.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /** Whether this bucket ever refuses. */
    public boolean isLimited() {
        return interval != 0;
    }
}
