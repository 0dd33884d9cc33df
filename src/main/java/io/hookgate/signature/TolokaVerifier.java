package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.SIGNATURE_MISMATCH;
import static io.hookgate.signature.VerificationException.Reason.TIMESTAMP_OUT_OF_WINDOW;
import static io.hookgate.signature.VerificationException.Reason.UNKNOWN_KEY_VERSION;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies Toloka event notifications (CONTRACTS.md, "Toloka event notifications").
 *
 * <p>The signed message is UTF-8 of {@code ts + "." + v + "."} followed by the raw request body
 * <em>exactly as received</em>: Toloka's own documented example verifies only against the compact
 * 273-byte body, not against the pretty-printed one shown beside it, so the body is never
 * re-serialized. The key is the subscription's {@code secret_key} for key version {@code v}; several
 * versions may be configured at once for rotation.
 *
 * <p>Order of checks, each failure with its {@link VerificationException.Reason}:
 * <ol>
 *   <li>parse the header ({@code MISSING_SIGNATURE}, {@code MALFORMED_SIGNATURE});</li>
 *   <li>look up the key version ({@code UNKNOWN_KEY_VERSION});</li>
 *   <li>compare the HMAC in constant time ({@code SIGNATURE_MISMATCH});</li>
 *   <li>check the timestamp window ({@code TIMESTAMP_OUT_OF_WINDOW}).</li>
 * </ol>
 * The signature is checked <em>before</em> the timestamp because {@code ts} is only worth trusting
 * once it is known to be Toloka's: a forged request is then always reported as a mismatch, whatever
 * timestamp it carries, and {@code TIMESTAMP_OUT_OF_WINDOW} always means "genuine, but too old or too
 * far ahead" (a replay, a late retry or a clock problem), which is what an operator needs to know.
 * The extra HMAC for a stale forgery costs about a microsecond. It also makes
 * {@link #verifyIgnoringTimestamp} the same code minus the last step.
 *
 * <p>Toloka gives no guidance on tolerance: the window is two-sided ({@code |now - ts| > tolerance}
 * fails, exactly {@code tolerance} passes) and {@link Duration#ZERO} switches it off. Thread-safe.
 */
public final class TolokaVerifier {

    private final Map<String, HmacSha256> macsByKeyVersion;
    private final long toleranceMillis;
    private final Clock clock;

    /**
     * @param secretsByKeyVersion the UTF-8 bytes of each subscription secret, by key version
     *     ({@code v}, 1-9 digits as Toloka sends them); copied
     * @param tolerance maximum distance between {@code ts} and now, either way; {@code ZERO} = no check
     * @param clock source of "now" for {@link #verify(String, byte[])}
     * @throws IllegalArgumentException if no secret is given, a key version is not digits, a secret is
     *     empty or the tolerance is negative; the message names the key version, never the secret
     */
    public TolokaVerifier(Map<String, byte[]> secretsByKeyVersion, Duration tolerance, Clock clock) {
        Objects.requireNonNull(secretsByKeyVersion, "secretsByKeyVersion");
        Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (secretsByKeyVersion.isEmpty()) {
            throw new IllegalArgumentException("at least one Toloka secret (key version) is required");
        }
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("Toloka timestamp tolerance must not be negative");
        }
        Map<String, HmacSha256> macs = new HashMap<>();
        secretsByKeyVersion.forEach((version, secret) -> {
            if (!Digits.isDigits(version, TolokaSignatureHeader.MAX_KEY_VERSION_DIGITS)) {
                throw new IllegalArgumentException(
                        "Toloka key version '" + version + "' must be 1 to 9 digits");
            }
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException(
                        "Toloka secret for key version " + version + " is empty");
            }
            macs.put(version, new HmacSha256(secret));
        });
        this.macsByKeyVersion = Map.copyOf(macs);
        this.toleranceMillis = toMillisSaturated(tolerance);
    }

    /**
     * Verifies a request as of now (the clock's): header shape, key version, signature, then timestamp
     * window. As {@link #verify(String, byte[], Instant)} with the clock's instant.
     */
    public TolokaSignatureHeader verify(String headerValue, byte[] rawBody) throws VerificationException {
        return verify(headerValue, rawBody, clock.instant());
    }

    /**
     * Verifies a request: header shape, key version, signature, then whether {@code ts} was within the
     * window of {@code receivedAt}. The window is judged at the request's arrival rather than when
     * verification runs, so that time spent waiting for a worker or reading a slow body is not held
     * against the sender, and the request's clock reading serves for both.
     *
     * @param headerValue the {@code Toloka-Signature} header, possibly null
     * @param rawBody the request body exactly as received
     * @param receivedAt when the request arrived
     * @return the parsed header, e.g. for logging the key version or timestamp
     * @throws VerificationException with the reason of the first check that failed
     */
    public TolokaSignatureHeader verify(String headerValue, byte[] rawBody, Instant receivedAt)
            throws VerificationException {
        Objects.requireNonNull(receivedAt, "receivedAt");
        TolokaSignatureHeader header = verifyIgnoringTimestamp(headerValue, rawBody);
        if (toleranceMillis > 0
                && Math.abs(receivedAt.toEpochMilli() - header.timestampMillis()) > toleranceMillis) {
            throw new VerificationException(TIMESTAMP_OUT_OF_WINDOW,
                    "Toloka-Signature timestamp is outside the accepted window");
        }
        return header;
    }

    /**
     * Verifies the signature only, whatever the timestamp: for re-verifying stored requests (a
     * dead-letter replay checks the signature always, the timestamp window never).
     *
     * @throws VerificationException as {@link #verify}, except never {@code TIMESTAMP_OUT_OF_WINDOW}
     */
    public TolokaSignatureHeader verifyIgnoringTimestamp(String headerValue, byte[] rawBody)
            throws VerificationException {
        Objects.requireNonNull(rawBody, "rawBody");
        TolokaSignatureHeader header = TolokaSignatureHeader.parse(headerValue);
        HmacSha256 mac = macsByKeyVersion.get(header.keyVersion());
        if (mac == null) {
            throw new VerificationException(UNKNOWN_KEY_VERSION,
                    "Toloka key version " + header.keyVersion() + " is not configured");
        }
        if (!mac.matches(header.signatureBytes(), header.signedPrefix(), rawBody)) {
            throw new VerificationException(SIGNATURE_MISMATCH, "Toloka-Signature does not match");
        }
        return header;
    }

    private static long toMillisSaturated(Duration tolerance) {
        try {
            return tolerance.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
