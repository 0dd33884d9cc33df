package io.hookgate.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    /** A nanoTime source the test moves; starts far from 0, near the wrap, as System.nanoTime may. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(1));

    @Test
    void shouldGrantTheBurstAtOnceThenRefuse() {
        TokenBucket bucket = new TokenBucket(1, 5, now::get);

        assertEquals(5, acquired(bucket, 20));
    }

    @Test
    void shouldRefillAtTheRate() {
        TokenBucket bucket = new TokenBucket(2, 3, now::get);
        assertEquals(3, acquired(bucket, 10));

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
        assertFalse(bucket.tryAcquire(), "not yet half a second: no permit back");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(bucket.tryAcquire(), "one permit per 500 ms");
        assertFalse(bucket.tryAcquire());

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(2, acquired(bucket, 10), "two a second");
    }

    @Test
    void shouldNeverHoldMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 4, now::get);

        now.addAndGet(TimeUnit.HOURS.toNanos(1)); // across the nanoTime wrap, too

        assertEquals(4, acquired(bucket, 100), "an idle hour still gives the burst only");
    }

    @Test
    void shouldCountAsFullWhenTheClockGoesBack() {
        TokenBucket bucket = new TokenBucket(1, 3, now::get);
        assertEquals(3, acquired(bucket, 10));

        now.addAndGet(-TimeUnit.DAYS.toNanos(365)); // a test clock set back; System.nanoTime never does

        assertEquals(3, acquired(bucket, 10), "the burst again, not a year of refusals");
    }

    @Test
    void shouldSpreadRefusalsEvenlyUnderSteadyOverload() {
        TokenBucket bucket = new TokenBucket(100, 1, now::get);
        int granted = 0;
        for (int ms = 0; ms < 1000; ms++) { // 1,000 attempts a second for a second, at 100 a second
            if (bucket.tryAcquire()) {
                granted++;
            }
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertEquals(100, granted);
    }

    @Test
    void shouldGrantExactlyTheBurstToConcurrentCallers() throws Exception {
        TokenBucket bucket = new TokenBucket(1, 1000, now::get);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                counts.add(pool.submit(() -> {
                    start.await();
                    return acquired(bucket, 500);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> count : counts) {
                total += count.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1000, total, "4,000 attempts on 1,000 permits, time standing still");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNeverRefuseWhenUnlimited() {
        TokenBucket bucket = TokenBucket.unlimited();

        assertEquals(100_000, acquired(bucket, 100_000));
        assertFalse(bucket.isLimited());
        assertTrue(new TokenBucket(1, 1, now::get).isLimited());
    }

    @Test
    void shouldRefuseSettingsItCannotHonour() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1_000_000_001, 10, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, Long.MAX_VALUE / 2, now::get));
    }

    private static int acquired(TokenBucket bucket, int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) {
            if (bucket.tryAcquire()) {
                granted++;
            }
        }
        return granted;
    }
}
