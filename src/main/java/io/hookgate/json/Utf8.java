package io.hookgate.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Whether bytes are well-formed UTF-8 (RFC 3629; the Unicode Standard, table 3-7). */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private Utf8() {
    }

    /**
     * @return the offset of the first byte of the first ill-formed sequence (an overlong form, a
     *     surrogate, a code point beyond U+10FFFF, a stray or missing continuation byte, a byte that
     *     never occurs in UTF-8), or -1 when all of {@code bytes} is well-formed
     */
    static int firstInvalid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            // ASCII, the bulk of JSON, eight bytes at a time
            if (i + Long.BYTES <= n && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
                continue;
            }
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                low = b == 0xE0 ? 0xA0 : 0x80;   // no overlong form
                high = b == 0xED ? 0x9F : 0xBF;  // no surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                low = b == 0xF0 ? 0x90 : 0x80;   // no overlong form
                high = b == 0xF4 ? 0x8F : 0xBF;  // nothing beyond U+10FFFF
            } else {
                return i;  // a continuation byte with no lead, C0, C1 or F5-FF
            }
            if (i + length > n || !between(bytes[i + 1], low, high)) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if (!between(bytes[i + k], 0x80, 0xBF)) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }

    private static boolean between(byte b, int low, int high) {
        int value = b & 0xFF;
        return value >= low && value <= high;
    }
}
