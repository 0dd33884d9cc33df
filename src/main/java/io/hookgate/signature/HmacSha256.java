package io.hookgate.signature;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one key, hex encoding and constant-time comparison: the one place where both
 * schemes (Toloka and Skyvern, see CONTRACTS.md) compute and compare a MAC.
 *
 * <p>Both providers send lowercase hex of a 32-byte HMAC-SHA256. Presented signatures are decoded to
 * bytes and compared as bytes in constant time ({@link #equalInConstantTime}), never as strings: that
 * is immune to hex formatting slips such as the {@code %040x} in Toloka's own Java SDK,
 * which drops a leading zero in about one digest in sixteen.
 *
 * <p>Thread-safe. {@link Mac} is neither thread-safe nor cheap to create, so each instance keeps one
 * initialized {@code Mac} per thread.
 */
public final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] HEX_VALUES = hexValues();

    /** Length in characters of a hex-encoded HMAC-SHA256. */
    public static final int HEX_LENGTH = 64;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /**
     * @param key the raw key bytes; copied, so the caller may clear its array afterwards
     * @throws IllegalArgumentException if the key is empty
     */
    public HmacSha256(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("HMAC key must not be empty");
        }
        this.key = new SecretKeySpec(key, ALGORITHM); // SecretKeySpec copies the bytes
        this.macs = ThreadLocal.withInitial(this::newMac);
        macs.get(); // fail at construction, not on the first request, if the JDK lacks the algorithm
    }

    /** HMAC of the concatenation of {@code parts}, fed to the MAC one by one without joining them. */
    public byte[] digest(byte[]... parts) {
        for (byte[] part : parts) {
            Objects.requireNonNull(part, "part"); // before any update, so the per-thread Mac stays clean
        }
        Mac mac = macs.get();
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal(); // also resets the Mac for the next call on this thread
    }

    /** Whether {@code presentedDigest} equals the HMAC of {@code parts}, compared in constant time. */
    public boolean matches(byte[] presentedDigest, byte[]... parts) {
        Objects.requireNonNull(presentedDigest, "presentedDigest");
        return equalInConstantTime(digest(parts), presentedDigest);
    }

    /**
     * Byte-wise equality that reads every byte whatever differs, so the time tells nothing about where
     * the first difference is. Only the lengths (public: 32 for an HMAC-SHA256) end it early. The same
     * guarantee as {@link MessageDigest#isEqual}, without its index arithmetic for unequal lengths,
     * which showed as 4% of the verification path in a profile of bench VerifyBench.
     */
    static boolean equalInConstantTime(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < a.length; i++) {
            difference |= a[i] ^ b[i];
        }
        return difference == 0;
    }

    /** Lowercase hex, always two characters per byte (64 for an HMAC-SHA256). */
    public static String toHex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Decodes exactly 64 hex characters (upper or lower case) into 32 bytes.
     *
     * @return the bytes, or {@code null} if {@code hex} is null or not exactly 64 hex characters;
     *     callers turn {@code null} into their own "malformed" outcome
     */
    public static byte[] parseHex64(String hex) {
        return hex == null ? null : parseHex64(Digits.latin1(hex), 0, hex.length());
    }

    /** As {@link #parseHex64(String)}, for the Latin-1 bytes {@code s[from, to)} (see {@link Digits#latin1}). */
    static byte[] parseHex64(byte[] s, int from, int to) {
        if (to - from != HEX_LENGTH) {
            return null;
        }
        byte[] out = new byte[HEX_LENGTH / 2];
        int invalid = 0;
        for (int i = 0; i < out.length; i++) {
            int high = hexValue(s[from + 2 * i]);
            int low = hexValue(s[from + 2 * i + 1]);
            invalid |= high | low; // -1 for a non-hex character; one branch after the loop, not two per byte
            out[i] = (byte) ((high << 4) | low);
        }
        return invalid < 0 ? null : out;
    }

    /** ASCII hex only: {@link Character#digit} would also accept e.g. full-width digits. */
    private static int hexValue(byte c) {
        return HEX_VALUES[c & 0xff];
    }

    private static byte[] hexValues() {
        byte[] values = new byte[256]; // indexed by a byte & 0xff: no bounds to check
        Arrays.fill(values, (byte) -1);
        for (int i = 0; i < 16; i++) {
            values[HEX[i]] = (byte) i;
            values[Character.toUpperCase(HEX[i])] = (byte) i;
        }
        return values;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
