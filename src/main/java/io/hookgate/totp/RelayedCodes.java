package io.hookgate.totp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The codes relayed from e-mail or SMS by other systems, held in memory for Skyvern's polls. Every
 * hookgate instance reads every relay record, so each holds all live codes; this class is only the
 * store.
 *
 * <p>A poll for an identifier is given the newest unexpired code that the polling run may have (see
 * {@link RelayedCode}): newest by {@code receivedAt}, and of two received at the same instant the one
 * added later. Codes are not used up: the same code answers every poll that may have it until it
 * expires.
 *
 * <p>Memory stays bounded: expired codes are dropped on every {@link #add} (all identifiers) and on
 * every lookup (that identifier), and an identifier keeps at most {@code maxCodesPerIdentifier} codes,
 * dropping the oldest.
 *
 * <p>Thread-safe. Codes arrive and polls come at human pace, so one lock guards everything.
 */
public final class RelayedCodes {

    /** Newest first: latest {@code receivedAt}, then latest added. */
    private static final Comparator<Entry> NEWEST_FIRST =
            Comparator.comparing((Entry entry) -> entry.code().receivedAt())
                    .thenComparingLong(Entry::sequence)
                    .reversed();

    private final Duration defaultTtl;
    private final int maxCodesPerIdentifier;
    private final Clock clock;
    private final Object lock = new Object();
    /** Each list sorted {@link #NEWEST_FIRST}, never empty. Guarded by {@link #lock}. */
    private final Map<String, List<Entry>> byIdentifier = new HashMap<>();
    /** Guarded by {@link #lock}. */
    private long added;

    /** A stored code and its arrival order, to break {@code receivedAt} ties. */
    private record Entry(RelayedCode code, long sequence) {}

    /**
     * @param defaultTtl how long a code lives when its record gives no expiry, for
     *     {@link #add(String, String, String, String, Instant, Instant)}; positive
     * @param maxCodesPerIdentifier how many codes one identifier keeps at most; at least 1
     * @param clock decides which codes have expired
     */
    public RelayedCodes(Duration defaultTtl, int maxCodesPerIdentifier, Clock clock) {
        RelayedCode.requirePositive(defaultTtl);
        if (maxCodesPerIdentifier < 1) {
            throw new IllegalArgumentException("codes per identifier must be at least 1");
        }
        this.defaultTtl = defaultTtl;
        this.maxCodesPerIdentifier = maxCodesPerIdentifier;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores {@code code}, unless it has already expired. */
    public void add(RelayedCode code) {
        Objects.requireNonNull(code, "code");
        Instant now = clock.instant();
        synchronized (lock) {
            byIdentifier.values().removeIf(entries -> pruneExpired(entries, now));
            if (code.isExpiredAt(now)) {
                return;
            }
            List<Entry> entries = byIdentifier.computeIfAbsent(code.identifier(), identifier -> new ArrayList<>());
            entries.add(new Entry(code, added++));
            entries.sort(NEWEST_FIRST);
            while (entries.size() > maxCodesPerIdentifier) {
                entries.remove(entries.size() - 1);
            }
        }
    }

    /**
     * Builds a code with {@link RelayedCode#of} and this store's default time to live, and stores it
     * unless it has already expired.
     *
     * @return the code built
     * @throws IllegalArgumentException as {@link RelayedCode#of}
     */
    public RelayedCode add(String identifier, String code, String taskId, String workflowRunId,
            Instant receivedAt, Instant expiresAtOrNull) {
        RelayedCode relayed = RelayedCode.of(identifier, code, taskId, workflowRunId, receivedAt, expiresAtOrNull, defaultTtl);
        add(relayed);
        return relayed;
    }

    /**
     * The newest unexpired code for {@code identifier} that a poll from {@code taskId} and
     * {@code workflowRunId} (either may be {@code null}) may have; empty while there is none.
     */
    public Optional<RelayedCode> newestFor(String identifier, String taskId, String workflowRunId) {
        Objects.requireNonNull(identifier, "identifier");
        Instant now = clock.instant();
        synchronized (lock) {
            List<Entry> entries = byIdentifier.get(identifier);
            if (entries == null) {
                return Optional.empty();
            }
            if (pruneExpired(entries, now)) {
                byIdentifier.remove(identifier);
                return Optional.empty();
            }
            for (Entry entry : entries) {
                if (entry.code().isAvailableTo(taskId, workflowRunId)) {
                    return Optional.of(entry.code());
                }
            }
            return Optional.empty();
        }
    }

    /** Drops the expired entries; returns whether none is left. */
    private static boolean pruneExpired(List<Entry> entries, Instant now) {
        entries.removeIf(entry -> entry.code().isExpiredAt(now));
        return entries.isEmpty();
    }
}
