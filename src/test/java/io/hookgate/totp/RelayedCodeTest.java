package io.hookgate.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayedCodeTest {

    private static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    @Test
    void shouldExpireAfterDefaultTtlWhenRecordGivesNoExpiry() {
        RelayedCode code = RelayedCode.of("alice@example.com", "483920", null, null, RECEIVED, null, TTL);

        assertEquals(RECEIVED.plus(TTL), code.expiresAt());
    }

    @Test
    void shouldHonorExplicitExpiry() {
        Instant expiresAt = RECEIVED.plusSeconds(90);

        RelayedCode code = RelayedCode.of("alice@example.com", "483920", null, null, RECEIVED, expiresAt, TTL);

        assertEquals(expiresAt, code.expiresAt());
    }

    @Test
    void shouldTreatExpiryInstantAsExpired() {
        RelayedCode code = RelayedCode.of("alice@example.com", "483920", null, null, RECEIVED, null, TTL);

        assertFalse(code.isExpiredAt(RECEIVED.plus(TTL).minusNanos(1)));
        assertTrue(code.isExpiredAt(RECEIVED.plus(TTL)));
    }

    @Test
    void shouldTreatBlankScopesAsUnscoped() {
        RelayedCode code = RelayedCode.of("alice@example.com", "483920", " ", "", RECEIVED, null, TTL);

        assertNull(code.taskId());
        assertNull(code.workflowRunId());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\t"})
    void shouldRejectBlankIdentifier(String identifier) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayedCode.of(identifier, "483920", null, null, RECEIVED, null, TTL));

        assertEquals("identifier is missing or blank", e.getMessage());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "\n"})
    void shouldRejectBlankCode(String code) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayedCode.of("alice@example.com", code, null, null, RECEIVED, null, TTL));

        assertEquals("code is missing or blank", e.getMessage());
    }

    @Test
    void shouldRejectMissingReceivedAt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RelayedCode.of("alice@example.com", "483920", null, null, null, null, TTL));

        assertFalse(e.getMessage().contains("483920"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void shouldRejectTtlThatIsNotPositive(long seconds) {
        assertThrows(IllegalArgumentException.class, () -> RelayedCode.of(
                "alice@example.com", "483920", null, null, RECEIVED, null, Duration.ofSeconds(seconds)));
    }

    @Test
    void shouldHideCodeInToString() {
        RelayedCode code = RelayedCode.of("alice@example.com", "483920", "tsk_1", "wr_1", RECEIVED, null, TTL);

        assertFalse(code.toString().contains("483920"), code.toString());
        assertTrue(code.toString().contains("alice@example.com"), code.toString());
        assertTrue(code.toString().contains("tsk_1"), code.toString());
    }
}
