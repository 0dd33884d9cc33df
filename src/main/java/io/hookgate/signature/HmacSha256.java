package io.hookgate.signature;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * HMAC-SHA256 with one key, hex encoding and constant-time comparison: the one place where both
 * schemes (Toloka and Skyvern, see CONTRACTS.md) compute and compare a MAC.
 *
 * <p>Both providers send lowercase hex of a 32-byte HMAC-SHA256. Presented signatures are decoded to
 * bytes and compared as bytes in constant time ({@link #equalInConstantTime}), never as strings: that
 * is immune to hex formatting slips such as the {@code %040x} in Toloka's own Java SDK,
 * which drops a leading zero in about one digest in sixteen.
 *
 * <p>The HMAC is RFC 2104's, {@code H((K ^ opad) || H((K ^ ipad) || message))} with the JDK's SHA-256,
 * and it keeps the two keyed states that RFC 2104 section 4 suggests precomputing: the SHA-256 state
 * after the block {@code K ^ ipad}, and after {@code K ^ opad}. Each digest starts from copies of them
 * ({@link MessageDigest#clone}) instead of hashing both blocks again, as {@code javax.crypto.Mac} does
 * on every message: two of the nine SHA-256 blocks of a 300-byte Toloka request, about 50 ns of its
 * verification (bench VerifyBench). HmacSha256Test checks it against {@code javax.crypto.Mac} and
 * RFC 4231's vectors, keys longer than a block included.
 *
 * <p>Thread-safe: the two keyed states are written once, here, and only ever copied afterwards.
 */
public final class HmacSha256 {

    private static final String DIGEST = "SHA-256";
    private static final int BLOCK_BYTES = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] NOTHING = new byte[0];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** The top bit of each of a long's eight bytes. */
    private static final long TOP_BITS = 0x8080808080808080L;

    /** Length in characters of a hex-encoded HMAC-SHA256. */
    public static final int HEX_LENGTH = 64;

    /** SHA-256 after the block {@code K ^ ipad}; never updated again, only cloned. */
    private final MessageDigest innerKeyed;
    /** SHA-256 after the block {@code K ^ opad}; never updated again, only cloned. */
    private final MessageDigest outerKeyed;

    /**
     * @param key the raw key bytes, any length (over 64 bytes it is hashed first, as RFC 2104 says); not
     *     kept, so the caller may clear its array afterwards
     * @throws IllegalArgumentException if the key is empty
     */
    public HmacSha256(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("HMAC key must not be empty");
        }
        byte[] block = new byte[BLOCK_BYTES]; // the key, zero-padded to one block
        byte[] shortKey = key.length > BLOCK_BYTES ? sha256().digest(key) : key;
        System.arraycopy(shortKey, 0, block, 0, shortKey.length);
        this.innerKeyed = keyed(block, (byte) 0x36);
        this.outerKeyed = keyed(block, (byte) 0x5c);
        Arrays.fill(block, (byte) 0);
        if (shortKey != key) {
            Arrays.fill(shortKey, (byte) 0);
        }
    }

    /** HMAC of {@code message}. */
    public byte[] digest(byte[] message) {
        return digest(NOTHING, message);
    }

    /**
     * HMAC of {@code prefix} followed by {@code message}, fed to SHA-256 one after the other without
     * joining them. Two fixed arguments rather than varargs: an array per call showed in the
     * verification path's allocations (bench VerifyBench).
     */
    public byte[] digest(byte[] prefix, byte[] message) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(message, "message");
        MessageDigest inner = copy(innerKeyed);
        inner.update(prefix);
        inner.update(message);
        byte[] result = inner.digest();
        MessageDigest outer = copy(outerKeyed);
        outer.update(result);
        try {
            outer.digest(result, 0, result.length); // the outer hash overwrites the inner one
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
        return result;
    }

    /** Whether {@code presentedDigest} equals the HMAC of {@code message}, compared in constant time. */
    public boolean matches(byte[] presentedDigest, byte[] message) {
        return matches(presentedDigest, NOTHING, message);
    }

    /** Whether {@code presentedDigest} equals the HMAC of {@code prefix} then {@code message}, in constant time. */
    public boolean matches(byte[] presentedDigest, byte[] prefix, byte[] message) {
        Objects.requireNonNull(presentedDigest, "presentedDigest");
        return equalInConstantTime(digest(prefix, message), presentedDigest);
    }

    /**
     * Equality that reads every byte whatever differs, so the time tells nothing about where the first
     * difference is. Only the lengths (public: 32 for an HMAC-SHA256) end it early. The same guarantee
     * as {@link MessageDigest#isEqual}, eight bytes at a time: a byte loop was 5% of a verification
     * (bench VerifyBench).
     */
    static boolean equalInConstantTime(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        long difference = 0;
        int i = 0;
        for (; i + Long.BYTES <= a.length; i += Long.BYTES) {
            difference |= (long) LONGS.get(a, i) ^ (long) LONGS.get(b, i);
        }
        for (; i < a.length; i++) {
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

    /**
     * As {@link #parseHex64(String)}, for the Latin-1 bytes {@code s[from, to)} (see {@link Digits#latin1}).
     *
     * <p>Eight characters at a time, as one {@code long} (SWAR): a byte-per-character table was a third of
     * the {@code Toloka-Signature} parse (bench VerifyBench). For each byte {@code c} of the word, with
     * {@code H} the top bit of every byte:
     * <ul>
     *   <li>{@code c + (0x80 - lo)} has its top bit set exactly when {@code c >= lo}, for {@code c < 0x80}
     *       (no carry leaves the byte); so {@code (c + 0x50) & ~(c + 0x46) & H} flags {@code '0'..'9'}, and
     *       the same over {@code c | 0x20} flags {@code 'a'..'f'} and {@code 'A'..'F'} (no other byte
     *       below {@code 0x80} becomes {@code 'a'..'f'} when bit 5 is set);</li>
     *   <li>any byte with its top bit set, or flagged as neither, makes the whole word invalid (a carry out
     *       of such a byte may spoil its neighbours' flags, but the word is refused anyway);</li>
     *   <li>a digit's value is its low nibble, a letter's its low nibble plus 9;</li>
     *   <li>the eight nibbles are then packed pairwise into four bytes, first character high.</li>
     * </ul>
     * HmacSha256Test checks every byte value at every position against a table.
     */
    static byte[] parseHex64(byte[] s, int from, int to) {
        if (to - from != HEX_LENGTH) {
            return null;
        }
        byte[] out = new byte[HEX_LENGTH / 2];
        long invalid = 0;
        for (int i = 0; i < HEX_LENGTH / Long.BYTES; i++) {
            long word = (long) LONGS.get(s, from + i * Long.BYTES); // little-endian: the first character is the low byte
            long folded = word | 0x2020202020202020L;
            long digit = (word + 0x5050505050505050L) & ~(word + 0x4646464646464646L) & TOP_BITS;
            long letter = (folded + 0x1f1f1f1f1f1f1f1fL) & ~(folded + 0x1919191919191919L) & TOP_BITS;
            invalid |= (word & TOP_BITS) | (~(digit | letter) & TOP_BITS);
            long nibbles = (word & 0x0f0f0f0f0f0f0f0fL) + (letter >>> 7) * 9;
            long pairs = ((nibbles & 0x00ff00ff00ff00ffL) << 4) | ((nibbles >>> 8) & 0x00ff00ff00ff00ffL);
            pairs = (pairs | (pairs >>> 8)) & 0x0000ffff0000ffffL;
            pairs = (pairs | (pairs >>> 16)) & 0xffffffffL;
            INTS.set(out, i * Integer.BYTES, (int) pairs);
        }
        return invalid != 0 ? null : out;
    }

    private static MessageDigest keyed(byte[] keyBlock, byte pad) {
        byte[] padded = new byte[BLOCK_BYTES];
        for (int i = 0; i < BLOCK_BYTES; i++) {
            padded[i] = (byte) (keyBlock[i] ^ pad);
        }
        MessageDigest digest = sha256();
        digest.update(padded);
        Arrays.fill(padded, (byte) 0);
        copy(digest); // fail here, not on the first request, if this JDK's SHA-256 cannot be copied
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance(DIGEST);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static MessageDigest copy(MessageDigest keyed) {
        try {
            return (MessageDigest) keyed.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JVM's SHA-256 cannot be copied", e);
        }
    }
}
