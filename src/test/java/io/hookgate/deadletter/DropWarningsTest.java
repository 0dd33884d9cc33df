package io.hookgate.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DropWarningsTest {

    private final AtomicLong now = new AtomicLong(-TimeUnit.SECONDS.toNanos(3));
    private final List<String> warnings = new ArrayList<>();
    private final DropWarnings drops = new DropWarnings(Duration.ofSeconds(10), now::get,
            "hookgate.dead-letter.max-per-second=1, hookgate.dead-letter.burst=5", warnings::add);

    @Test
    void shouldWarnAtTheFirstDrop() {
        drops.dropped("signature-mismatch");

        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("1 dead-letter record(s) dropped"), warnings.get(0));
        assertTrue(warnings.get(0).contains("(signature-mismatch=1)"), warnings.get(0));
        assertTrue(warnings.get(0).contains("hookgate.dead-letter.max-per-second=1"), "says what to change");
    }

    @Test
    void shouldWarnAtMostOncePerIntervalCountingByReason() {
        drops.dropped("signature-mismatch");
        for (int i = 0; i < 12; i++) {
            drops.dropped("signature-mismatch");
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        }
        drops.dropped("malformed-body");
        drops.dropped("malformed-body");
        assertEquals(1, warnings.size(), "nothing more within 10 s");

        now.addAndGet(TimeUnit.SECONDS.toNanos(9));
        drops.dropped("missing-signature");

        assertEquals(2, warnings.size());
        assertTrue(warnings.get(1).contains("15 dead-letter record(s) dropped since the last warning "
                + "(malformed-body=2, missing-signature=1, signature-mismatch=12)"), warnings.get(1));
    }

    @Test
    void shouldReportPendingDropsWhenARecordIsWrittenAfterTheInterval() {
        drops.dropped("signature-mismatch");
        drops.dropped("signature-mismatch");
        drops.tick();
        assertEquals(1, warnings.size(), "the second drop waits for the interval");

        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        drops.tick();
        drops.tick();

        assertEquals(2, warnings.size(), "reported once");
        assertTrue(warnings.get(1).contains("1 dead-letter record(s) dropped"), warnings.get(1));
    }

    @Test
    void shouldWarnAgainWhenTheClockGoesBack() {
        drops.dropped("signature-mismatch");
        now.addAndGet(-TimeUnit.DAYS.toNanos(365));

        drops.dropped("signature-mismatch");

        assertEquals(2, warnings.size(), "not silent for a year");
    }

    @Test
    void shouldSayNothingWithoutDrops() {
        for (int i = 0; i < 5; i++) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(11));
            drops.tick();
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldRefuseANonPositiveInterval() {
        assertThrows(IllegalArgumentException.class,
                () -> new DropWarnings(Duration.ZERO, now::get, "limit", warnings::add));
    }
}
