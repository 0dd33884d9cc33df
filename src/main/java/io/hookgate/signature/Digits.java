package io.hookgate.signature;

/** ASCII digit parsing shared by the header parsers and the constructors that validate key versions. */
final class Digits {

    private Digits() {
    }

    /**
     * Parses {@code s[from, to)} as 1 to {@code maxDigits} ASCII digits (no sign, no spaces).
     *
     * @return the value, or -1 when the range is empty, too long or holds anything but {@code 0-9}
     */
    static long parse(CharSequence s, int from, int to, int maxDigits) {
        int length = to - from;
        if (length < 1 || length > maxDigits || maxDigits > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Whether {@code s} is 1 to {@code maxDigits} ASCII digits; false for null. */
    static boolean isDigits(String s, int maxDigits) {
        return s != null && parse(s, 0, s.length(), maxDigits) >= 0;
    }
}
