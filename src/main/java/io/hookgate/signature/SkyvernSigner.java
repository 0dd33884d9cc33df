package io.hookgate.signature;

import java.util.Objects;

/**
 * Produces {@code x-skyvern-signature} values the way Skyvern does (CONTRACTS.md): lowercase hex
 * HMAC-SHA256 of the exact body bytes, keyed with the API key. The timestamp header is not signed, so
 * a sender sets it on its own. For tests, the sample sender and the benchmark. Thread-safe.
 */
public final class SkyvernSigner {

    private final HmacSha256 mac;

    /**
     * @param apiKey the UTF-8 bytes of the Skyvern API key; copied
     * @throws IllegalArgumentException if the key is empty
     */
    public SkyvernSigner(byte[] apiKey) {
        Objects.requireNonNull(apiKey, "apiKey");
        if (apiKey.length == 0) {
            throw new IllegalArgumentException("Skyvern API key is empty");
        }
        this.mac = new HmacSha256(apiKey);
    }

    /** The {@code x-skyvern-signature} value for {@code rawBody}: 64 lowercase hex characters. */
    public String signature(byte[] rawBody) {
        return HmacSha256.toHex(mac.digest(Objects.requireNonNull(rawBody, "rawBody")));
    }
}
