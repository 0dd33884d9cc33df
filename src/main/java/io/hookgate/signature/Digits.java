package io.hookgate.signature;

import java.nio.charset.StandardCharsets;

/** ASCII digit parsing shared by the header parsers and the constructors that validate key versions. */
final class Digits {

    private Digits() {
    }

    /**
     * Parses {@code s[from, to)} as 1 to {@code maxDigits} ASCII digits (no sign, no spaces).
     *
     * @return the value, or -1 when the range is empty, too long or holds anything but {@code 0-9}
     */
    static long parse(byte[] s, int from, int to, int maxDigits) {
        int length = to - from;
        if (length < 1 || length > maxDigits || maxDigits > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(s[i])) {
                return -1;
            }
            value = value * 10 + (s[i] - '0');
        }
        return value;
    }

    /** Where the run of ASCII digits that starts at {@code s[from]} ends: the first non-digit, or {@code to}. */
    static int runEnd(byte[] s, int from, int to) {
        int end = from;
        while (end < to && isDigit(s[end])) {
            end++;
        }
        return end;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** As {@link #parse(byte[], int, int, int)} over all of {@code s}; -1 for null. */
    static long parse(String s, int maxDigits) {
        return s == null ? -1 : parse(latin1(s), 0, s.length(), maxDigits);
    }

    /** Whether {@code s} is 1 to {@code maxDigits} ASCII digits; false for null. */
    static boolean isDigits(String s, int maxDigits) {
        return parse(s, maxDigits) >= 0;
    }

    /**
     * One byte per char, for parsers that only accept ASCII: a char beyond Latin-1 becomes {@code '?'},
     * which none of them accepts, so text that was invalid stays invalid. Exactly one byte per char: the
     * JDK's Latin-1 encoder writes one {@code '?'} per code point, so a surrogate pair (two chars) would
     * come out as one byte, and callers index the bytes by the string's length.
     */
    static byte[] latin1(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length == s.length()) {
            return bytes;
        }
        bytes = new byte[s.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = s.charAt(i);
            bytes[i] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        return bytes;
    }
}
