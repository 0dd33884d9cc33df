package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.MISSING_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.SIGNATURE_MISMATCH;
import static io.hookgate.signature.VerificationException.Reason.TIMESTAMP_OUT_OF_WINDOW;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Verifies calls from Skyvern: TOTP polls and run webhooks (CONTRACTS.md, "Skyvern calls").
 *
 * <p>{@code x-skyvern-signature} is the lowercase hex HMAC-SHA256 of the exact raw body, keyed with
 * the organization's API key (UTF-8). {@code x-skyvern-timestamp} is Unix <em>seconds</em> and is
 * <em>not</em> signed; Skyvern computes it off by the sending host's UTC offset when that host is not on
 * UTC, so the window is off ({@link Duration#ZERO}) unless configured, and then should be generous.
 * Several API keys may be active at once (rotation): the request passes if any of them matches. Every
 * key is computed and compared in constant time, without stopping at the first match.
 *
 * <p>Order of checks, each failure with its {@link VerificationException.Reason}:
 * <ol>
 *   <li>signature header present ({@code MISSING_SIGNATURE}) and exactly 64 hex digits
 *       ({@code MALFORMED_SIGNATURE});</li>
 *   <li>only when the window is on: the timestamp header, if present, is 1-15 digits
 *       ({@code MALFORMED_SIGNATURE});</li>
 *   <li>some key matches ({@code SIGNATURE_MISMATCH});</li>
 *   <li>only when the window is on: the timestamp is present ({@code TIMESTAMP_OUT_OF_WINDOW}: a request
 *       without one cannot be shown to be inside the window) and {@code |now - ts| <= tolerance}
 *       ({@code TIMESTAMP_OUT_OF_WINDOW}).</li>
 * </ol>
 * Shape before cryptography, signature before the (unsigned) timestamp, as for Toloka: a forgery is
 * always a mismatch. With the window off the timestamp header is ignored entirely. Thread-safe.
 */
public final class SkyvernVerifier {

    private static final int MAX_TIMESTAMP_DIGITS = 15;

    private final HmacSha256[] macs;
    private final long toleranceMillis;
    private final Clock clock;

    /**
     * @param apiKeys the UTF-8 bytes of each accepted Skyvern API key, at least one; copied
     * @param tolerance maximum distance between the timestamp and now, either way; {@code ZERO} = no
     *     check (the recommended default)
     * @param clock source of "now" for {@link #verify(String, String, byte[])}
     * @throws IllegalArgumentException if no key is given, a key is empty or the tolerance is negative;
     *     the message names the key's position in the list, never the key
     */
    public SkyvernVerifier(List<byte[]> apiKeys, Duration tolerance, Clock clock) {
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (apiKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one Skyvern API key is required");
        }
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("Skyvern timestamp tolerance must not be negative");
        }
        this.macs = new HmacSha256[apiKeys.size()];
        for (int i = 0; i < macs.length; i++) {
            byte[] key = apiKeys.get(i);
            if (key == null || key.length == 0) {
                throw new IllegalArgumentException("Skyvern API key #" + (i + 1) + " is empty");
            }
            macs[i] = new HmacSha256(key);
        }
        this.toleranceMillis = toMillisSaturated(tolerance);
    }

    /**
     * Verifies a call as of now (the clock's). As {@link #verify(String, String, byte[], Instant)} with
     * the clock's instant.
     */
    public void verify(String signatureHex, String timestampSeconds, byte[] rawBody)
            throws VerificationException {
        verify(signatureHex, timestampSeconds, rawBody, clock.instant());
    }

    /**
     * Verifies a call: signature shape, timestamp shape, signature, then whether the timestamp was
     * within the window of {@code receivedAt} (the call's arrival, as for Toloka).
     *
     * @param signatureHex the {@code x-skyvern-signature} header, possibly null
     * @param timestampSeconds the {@code x-skyvern-timestamp} header, possibly null; ignored when the
     *     window is off
     * @param rawBody the request body exactly as received
     * @param receivedAt when the call arrived
     * @throws VerificationException with the reason of the first check that failed
     */
    public void verify(String signatureHex, String timestampSeconds, byte[] rawBody, Instant receivedAt)
            throws VerificationException {
        Objects.requireNonNull(receivedAt, "receivedAt");
        byte[] presented = parseSignature(signatureHex);
        if (toleranceMillis == 0) {
            verifyDigest(presented, rawBody);
            return;
        }
        long timestamp = parseTimestamp(timestampSeconds);
        verifyDigest(presented, rawBody);
        if (timestamp < 0 || Math.abs(receivedAt.toEpochMilli() - timestamp * 1000) > toleranceMillis) {
            throw new VerificationException(TIMESTAMP_OUT_OF_WINDOW,
                    "x-skyvern-timestamp is missing or outside the accepted window");
        }
    }

    /**
     * Verifies the signature only, whatever the timestamp: for re-verifying stored calls (a
     * dead-letter replay checks the signature always, the timestamp window never).
     *
     * @throws VerificationException as {@link #verify}, except never for the timestamp
     */
    public void verifyIgnoringTimestamp(String signatureHex, byte[] rawBody) throws VerificationException {
        verifyDigest(parseSignature(signatureHex), rawBody);
    }

    private static byte[] parseSignature(String signatureHex) throws VerificationException {
        if (signatureHex == null || signatureHex.isBlank()) {
            throw new VerificationException(MISSING_SIGNATURE, "x-skyvern-signature header is missing");
        }
        byte[] presented = HmacSha256.parseHex64(signatureHex.strip());
        if (presented == null) {
            throw new VerificationException(MALFORMED_SIGNATURE,
                    "x-skyvern-signature is not 64 hex digits");
        }
        return presented;
    }

    /** @return the seconds, or -1 when the header is absent */
    private static long parseTimestamp(String timestampSeconds) throws VerificationException {
        if (timestampSeconds == null || timestampSeconds.isBlank()) {
            return -1;
        }
        long seconds = Digits.parse(timestampSeconds.strip(), MAX_TIMESTAMP_DIGITS);
        if (seconds < 0) {
            throw new VerificationException(MALFORMED_SIGNATURE,
                    "x-skyvern-timestamp is not 1 to 15 digits");
        }
        return seconds;
    }

    private void verifyDigest(byte[] presented, byte[] rawBody) throws VerificationException {
        Objects.requireNonNull(rawBody, "rawBody");
        boolean matched = false;
        for (HmacSha256 mac : macs) {
            matched |= mac.matches(presented, rawBody); // no short-circuit: every key, every time
        }
        if (!matched) {
            throw new VerificationException(SIGNATURE_MISMATCH, "x-skyvern-signature does not match");
        }
    }

    private static long toMillisSaturated(Duration tolerance) {
        try {
            return tolerance.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
