package io.hookgate.signature;

import java.util.Objects;

/**
 * Produces {@code Toloka-Signature} headers the way Toloka does (CONTRACTS.md): for tests, the sample
 * sender and the benchmark, so that nobody computes a signature by hand.
 *
 * <p>Output has exactly the documented form {@code {v=1, ts=946728000000, sign=<64 lowercase hex>}},
 * with the HMAC-SHA256 taken over UTF-8 of {@code ts + "." + v + "."} followed by the raw body.
 * Thread-safe.
 */
public final class TolokaSigner {

    private final String keyVersion;
    private final byte[] keyVersionDigits;
    private final HmacSha256 mac;

    /**
     * @param keyVersion the {@code v} to put in the header, 1-9 digits
     * @param secret the UTF-8 bytes of the subscription secret; copied
     * @throws IllegalArgumentException if the key version is not digits or the secret is empty
     */
    public TolokaSigner(String keyVersion, byte[] secret) {
        if (!Digits.isDigits(keyVersion, TolokaSignatureHeader.MAX_KEY_VERSION_DIGITS)) {
            throw new IllegalArgumentException("Toloka key version '" + keyVersion + "' must be 1 to 9 digits");
        }
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("Toloka secret for key version " + keyVersion + " is empty");
        }
        this.keyVersion = keyVersion;
        this.keyVersionDigits = Digits.latin1(keyVersion);
        this.mac = new HmacSha256(secret);
    }

    /**
     * @param rawBody the exact body bytes that will be sent
     * @param timestampMillis the {@code ts} field, Unix time in milliseconds, 0 to 15 digits
     * @return the header value, e.g. {@code {v=1, ts=946728000000, sign=609a...cbcb}}
     */
    public String signatureHeader(byte[] rawBody, long timestampMillis) {
        Objects.requireNonNull(rawBody, "rawBody");
        if (timestampMillis < 0 || timestampMillis > TolokaSignatureHeader.MAX_TIMESTAMP_MILLIS) {
            throw new IllegalArgumentException("timestamp must be 0 to 15 digits of milliseconds");
        }
        String ts = Long.toString(timestampMillis);
        byte[] tsDigits = Digits.latin1(ts);
        byte[] digest = mac.digest(TolokaSignatureHeader.signedPrefix(tsDigits, 0, tsDigits.length,
                keyVersionDigits, 0, keyVersionDigits.length), rawBody);
        return "{v=" + keyVersion + ", ts=" + ts + ", sign=" + HmacSha256.toHex(digest) + "}";
    }
}
