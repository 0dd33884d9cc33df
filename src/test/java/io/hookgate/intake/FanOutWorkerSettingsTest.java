package io.hookgate.intake;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A transaction must be able to commit well within its timeout: the commit interval is checked against it. */
class FanOutWorkerSettingsTest {

    @Test
    void shouldAcceptAnIntervalUnderHalfTheTimeout() {
        assertDoesNotThrow(() -> settings(Duration.ofSeconds(10), Duration.ofMillis(4_999)));
        assertDoesNotThrow(() -> settings(Duration.ofSeconds(10), Duration.ZERO));
    }

    @Test
    void shouldRefuseAnIntervalOfHalfTheTimeoutOrMore() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> settings(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertEquals("the commit interval (5000 ms) must be at least 0 and less than half the transaction timeout "
                + "(10000 ms)", refused.getMessage());
    }

    @Test
    void shouldRefuseANegativeInterval() {
        assertThrows(IllegalArgumentException.class, () -> settings(Duration.ofSeconds(10), Duration.ofMillis(-1)));
    }

    private static FanOutWorker.Settings settings(Duration transactionTimeout, Duration commitInterval) {
        return new FanOutWorker.Settings("intake", 1, "group", "id", transactionTimeout, commitInterval, "dead-letter",
                Duration.ofHours(1), 10);
    }
}
