package io.hookgate.totp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time codes (RFC 6238) for one {@link TotpKey}: the counter is
 * {@code floor(unixSeconds / period)}, the code the RFC 4226 HOTP value of that counter (dynamic
 * truncation), zero-padded to the key's digits.
 *
 * <p>Thread-safe. A code is computed once per Skyvern poll at most (every 10 s per login), so each
 * call simply creates its own {@link Mac}.
 */
public final class TotpGenerator {

    private static final long[] POWERS_OF_TEN = powersOfTen(TotpKey.MAX_DIGITS);

    private final SecretKeySpec macKey;
    private final TotpAlgorithm algorithm;
    private final int digits;
    private final long periodSeconds;
    private final Clock clock;

    /**
     * @throws IllegalStateException if this JVM lacks the key's HMAC algorithm (at construction, so
     *     that start-up fails rather than the first poll)
     */
    public TotpGenerator(TotpKey key, Clock clock) {
        Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.algorithm = key.algorithm();
        this.digits = key.digits();
        this.periodSeconds = key.periodSeconds();
        this.macKey = new SecretKeySpec(key.secret(), algorithm.macName());
        newMac();
    }

    /** The code for the clock's current instant. */
    public String currentCode() {
        return codeAt(clock.instant());
    }

    /**
     * The code valid at {@code time}.
     *
     * @throws IllegalArgumentException if {@code time} is before 1970-01-01T00:00:00Z
     */
    public String codeAt(Instant time) {
        long seconds = Objects.requireNonNull(time, "time").getEpochSecond();
        if (seconds < 0) {
            throw new IllegalArgumentException("TOTP is not defined before the Unix epoch");
        }
        return hotp(seconds / periodSeconds);
    }

    /** RFC 4226 section 5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
    String hotp(long counter) {
        byte[] hash = newMac().doFinal(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = (hash[offset] & 0x7f) << 24
                | (hash[offset + 1] & 0xff) << 16
                | (hash[offset + 2] & 0xff) << 8
                | (hash[offset + 3] & 0xff);
        String code = Long.toString(binary % POWERS_OF_TEN[digits]);
        // Padded by hand: String.format would use the default locale's digits.
        return "0".repeat(digits - code.length()) + code;
    }

    /** The key's parameters, never the secret. */
    @Override
    public String toString() {
        return "TotpGenerator[" + algorithm + ", " + digits + " digits, " + periodSeconds + " s]";
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(macKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.macName() + " is not available in this JVM", e);
        }
    }

    private static long[] powersOfTen(int max) {
        long[] powers = new long[max + 1];
        powers[0] = 1;
        for (int i = 1; i <= max; i++) {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }
}
