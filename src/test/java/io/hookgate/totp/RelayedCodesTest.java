package io.hookgate.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RelayedCodesTest {

    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final String ALICE = "alice@example.com";

    private final MutableClock clock = new MutableClock(START);
    private final RelayedCodes codes = new RelayedCodes(TTL, 5, clock);

    @Test
    void shouldGiveNewestCode() {
        codes.add(code("222222", null, null, START.plusSeconds(20)));
        codes.add(code("111111", null, null, START.plusSeconds(10)));

        assertEquals(Optional.of("222222"), codeFor(ALICE, null, null));
    }

    @Test
    void shouldGiveLaterAddedCodeWhenReceivedAtTheSameInstant() {
        codes.add(code("111111", null, null, START));
        codes.add(code("222222", null, null, START));

        assertEquals(Optional.of("222222"), codeFor(ALICE, null, null));
    }

    @Test
    void shouldGiveTaskScopedCodeOnlyToThatTask() {
        codes.add(code("111111", "tsk_A", null, START));

        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_A", null));
        assertEquals(Optional.empty(), codeFor(ALICE, "tsk_B", null));
        assertEquals(Optional.empty(), codeFor(ALICE, null, "wr_A"));
    }

    @Test
    void shouldGiveWorkflowRunScopedCodeOnlyToThatRun() {
        codes.add(code("111111", null, "wr_A", START));

        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_1", "wr_A"));
        assertEquals(Optional.empty(), codeFor(ALICE, "tsk_1", "wr_B"));
        assertEquals(Optional.empty(), codeFor(ALICE, "tsk_1", null));
    }

    @Test
    void shouldGiveCodeScopedToTaskAndRunOnlyWhenBothMatch() {
        codes.add(code("111111", "tsk_A", "wr_A", START));

        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_A", "wr_A"));
        assertEquals(Optional.empty(), codeFor(ALICE, "tsk_A", "wr_B"));
        assertEquals(Optional.empty(), codeFor(ALICE, "tsk_B", "wr_A"));
    }

    @Test
    void shouldGiveUnscopedCodeToEveryPoll() {
        codes.add(code("111111", null, null, START));

        assertEquals(Optional.of("111111"), codeFor(ALICE, null, null));
        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_A", null));
        assertEquals(Optional.of("111111"), codeFor(ALICE, null, "wr_A"));
        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_B", "wr_B"));
    }

    @Test
    void shouldGiveOlderUnscopedCodeWhenNewestIsForAnotherTask() {
        codes.add(code("111111", null, null, START));
        codes.add(code("222222", "tsk_A", null, START.plusSeconds(10)));

        assertEquals(Optional.of("222222"), codeFor(ALICE, "tsk_A", null));
        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_B", null));
    }

    @Test
    void shouldStopGivingCodeWhenDefaultTtlHasPassed() {
        codes.add(code("111111", null, null, START));

        clock.advance(TTL.minusSeconds(1));
        assertEquals(Optional.of("111111"), codeFor(ALICE, null, null));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), codeFor(ALICE, null, null));
    }

    @Test
    void shouldFallBackToOlderCodeWhenNewestHasExpired() {
        codes.add(code("111111", null, null, START));
        codes.add(RelayedCode.of(ALICE, "222222", null, null, START.plusSeconds(10), START.plusSeconds(60), TTL));

        clock.advance(Duration.ofSeconds(60));

        assertEquals(Optional.of("111111"), codeFor(ALICE, null, null));
    }

    @Test
    void shouldHonorExplicitExpiryShorterThanDefault() {
        codes.add(RelayedCode.of(ALICE, "111111", null, null, START, START.plusSeconds(60), TTL));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(Optional.of("111111"), codeFor(ALICE, null, null));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), codeFor(ALICE, null, null));
    }

    @Test
    void shouldHonorExplicitExpiryLongerThanDefault() {
        codes.add(RelayedCode.of(ALICE, "111111", null, null, START, START.plus(Duration.ofHours(1)), TTL));

        clock.advance(TTL.multipliedBy(2));

        assertEquals(Optional.of("111111"), codeFor(ALICE, null, null));
    }

    @Test
    void shouldIgnoreCodeThatArrivesAlreadyExpired() {
        clock.advance(TTL.plusSeconds(1));

        codes.add(code("111111", null, null, START));

        assertEquals(Optional.empty(), codeFor(ALICE, null, null));
    }

    @Test
    void shouldBuildCodesWithStoreDefaultTtl() {
        RelayedCode added = codes.add(ALICE, "111111", "tsk_A", null, START, null);

        assertEquals(START.plus(TTL), added.expiresAt());
        assertEquals(Optional.of("111111"), codeFor(ALICE, "tsk_A", null));
    }

    @Test
    void shouldDropOldestCodesBeyondCapPerIdentifier() {
        RelayedCodes capped = new RelayedCodes(TTL, 2, clock);
        capped.add(code("000000", null, null, START));
        capped.add(code("111111", "tsk_A", null, START.plusSeconds(10)));
        capped.add(code("222222", "tsk_A", null, START.plusSeconds(20)));

        // The unscoped code was the oldest: with it gone, task B has nothing left.
        assertEquals(Optional.empty(), capped.newestFor(ALICE, "tsk_B", null));
        assertEquals(Optional.of("222222"), capped.newestFor(ALICE, "tsk_A", null).map(RelayedCode::code));
    }

    @Test
    void shouldDropLateArrivingCodeOlderThanAllKeptOnes() {
        RelayedCodes capped = new RelayedCodes(TTL, 1, clock);
        capped.add(code("222222", null, null, START.plusSeconds(20)));
        capped.add(code("111111", null, null, START.plusSeconds(10)));

        assertEquals(Optional.of("222222"), capped.newestFor(ALICE, null, null).map(RelayedCode::code));
    }

    @Test
    void shouldKeepIdentifiersApart() {
        codes.add(code("111111", null, null, START));
        codes.add(RelayedCode.of("bob@example.com", "222222", null, null, START.plusSeconds(10), null, TTL));

        assertEquals(Optional.of("111111"), codeFor(ALICE, null, null));
        assertEquals(Optional.of("222222"), codeFor("bob@example.com", null, null));
    }

    @Test
    void shouldGiveNothingForUnknownIdentifier() {
        codes.add(code("111111", null, null, START));

        assertEquals(Optional.empty(), codeFor("carol@example.com", null, null));
    }

    @Test
    void shouldRejectInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RelayedCodes(Duration.ZERO, 5, clock));
        assertThrows(IllegalArgumentException.class, () -> new RelayedCodes(TTL, 0, clock));
    }

    @Test
    void shouldHideCodeInToString() {
        codes.add(code("483920", null, null, START));

        String text = codes.newestFor(ALICE, null, null).orElseThrow().toString();

        assertFalse(text.contains("483920"), text);
        assertTrue(text.contains(ALICE), text);
    }

    @Test
    void shouldKeepEveryCodeAddedFromManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> adds = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String identifier = "user" + i + "@example.com";
                String code = String.format(Locale.ROOT, "%06d", i);
                adds.add(pool.submit(() -> codes.add(RelayedCode.of(identifier, code, null, null, START, null, TTL))));
            }
            for (Future<?> add : adds) {
                add.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (int i = 0; i < 400; i++) {
            assertEquals(Optional.of(String.format(Locale.ROOT, "%06d", i)), codeFor("user" + i + "@example.com", null, null));
        }
    }

    private static RelayedCode code(String code, String taskId, String workflowRunId, Instant receivedAt) {
        return RelayedCode.of(ALICE, code, taskId, workflowRunId, receivedAt, null, TTL);
    }

    private Optional<String> codeFor(String identifier, String taskId, String workflowRunId) {
        return codes.newestFor(identifier, taskId, workflowRunId).map(RelayedCode::code);
    }
}
