package io.hookgate.totp;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A one-time code that another system read from an e-mail or SMS and relayed to hookgate, for the
 * login named by {@code identifier} (the identifier in the URL that Skyvern polls).
 *
 * <p>A code may be scoped to one Skyvern task ({@code taskId}) or workflow run ({@code
 * workflowRunId}); then only a poll from that task or run is given it. Blank scopes count as absent.
 * {@link #toString()} never shows the code.
 *
 * @param identifier the login the code is for; not blank
 * @param code the code, or the whole message text (Skyvern extracts the code itself); not blank
 * @param taskId the only task that may have the code, or {@code null}
 * @param workflowRunId the only workflow run that may have the code, or {@code null}
 * @param receivedAt when the code arrived; the newest code wins
 * @param expiresAt from this instant on the code is never given out
 */
public record RelayedCode(
        String identifier, String code, String taskId, String workflowRunId, Instant receivedAt, Instant expiresAt) {

    /** @throws IllegalArgumentException if a required value is missing or blank (never quoting the code) */
    public RelayedCode {
        requireText(identifier, "identifier");
        requireText(code, "code");
        taskId = blankToNull(taskId);
        workflowRunId = blankToNull(workflowRunId);
        requirePresent(receivedAt, "receivedAt");
        requirePresent(expiresAt, "expiresAt");
    }

    /**
     * A code as read from a relay record: it expires at the record's own {@code expiresAtOrNull} if
     * given, else {@code defaultTtl} after {@code receivedAt}.
     *
     * @throws IllegalArgumentException if a required value is missing or blank (never quoting the code),
     *     or {@code defaultTtl} is not positive
     */
    public static RelayedCode of(String identifier, String code, String taskId, String workflowRunId,
            Instant receivedAt, Instant expiresAtOrNull, Duration defaultTtl) {
        requirePositive(defaultTtl);
        requirePresent(receivedAt, "receivedAt");
        Instant expiresAt = expiresAtOrNull != null ? expiresAtOrNull : receivedAt.plus(defaultTtl);
        return new RelayedCode(identifier, code, taskId, workflowRunId, receivedAt, expiresAt);
    }

    /** Whether the code has expired at {@code now}: {@code expiresAt <= now}. */
    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** Whether a poll from {@code pollTaskId} / {@code pollWorkflowRunId} may be given this code. */
    boolean isAvailableTo(String pollTaskId, String pollWorkflowRunId) {
        return (taskId == null || taskId.equals(pollTaskId))
                && (workflowRunId == null || workflowRunId.equals(pollWorkflowRunId));
    }

    /** Everything but the code. */
    @Override
    public String toString() {
        return "RelayedCode[identifier=" + identifier + ", code=(hidden), taskId=" + taskId
                + ", workflowRunId=" + workflowRunId + ", receivedAt=" + receivedAt + ", expiresAt=" + expiresAt + "]";
    }

    static void requirePositive(Duration ttl) {
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("default time to live must be positive");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing or blank");
        }
    }

    private static void requirePresent(Instant value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
