package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.MISSING_SIGNATURE;

/**
 * A parsed {@code Toloka-Signature} header, documented literally as
 * {@code {v=1, ts=946728000000, sign=<64 hex>}} (see CONTRACTS.md).
 *
 * <p>No Toloka SDK parses this header, so {@link #parse} is tolerant of layout and strict about
 * content:
 * <ul>
 *   <li>tolerant: braces are optional (both or none); fields may come in any order; spaces and tabs
 *       are allowed around fields, {@code =} and {@code ,};</li>
 *   <li>strict: at most {@value #MAX_LENGTH} characters; exactly the three lowercase field names
 *       {@code v}, {@code ts} and {@code sign}, each exactly once; {@code v} is 1-9 ASCII digits,
 *       {@code ts} 1-15 ASCII digits (Unix time in <em>milliseconds</em>), {@code sign} exactly 64
 *       hex digits in either case.</li>
 * </ul>
 * A null or blank value is {@code MISSING_SIGNATURE}; anything else that does not fit is
 * {@code MALFORMED_SIGNATURE}.
 *
 * <p>Immutable. The digits of {@code v} and {@code ts} are kept exactly as received, because they are
 * part of the signed bytes.
 */
public final class TolokaSignatureHeader {

    /** Upper bound on the header length; the documented form is about 100 characters. */
    public static final int MAX_LENGTH = 200;

    static final int MAX_KEY_VERSION_DIGITS = 9;
    static final int MAX_TIMESTAMP_DIGITS = 15;
    static final long MAX_TIMESTAMP_MILLIS = 999_999_999_999_999L;

    private final String keyVersion;
    private final String timestampDigits;
    private final long timestampMillis;
    private final byte[] signature;

    private TolokaSignatureHeader(String keyVersion, String timestampDigits, long timestampMillis,
            byte[] signature) {
        this.keyVersion = keyVersion;
        this.timestampDigits = timestampDigits;
        this.timestampMillis = timestampMillis;
        this.signature = signature;
    }

    /**
     * Parses a {@code Toloka-Signature} header value.
     *
     * @throws VerificationException {@code MISSING_SIGNATURE} if null or blank,
     *     {@code MALFORMED_SIGNATURE} if it does not have the shape described above
     */
    public static TolokaSignatureHeader parse(String headerValue) throws VerificationException {
        if (headerValue == null || headerValue.isEmpty()
                || (Character.isWhitespace(headerValue.charAt(0)) && headerValue.isBlank())) {
            throw missing();
        }
        if (headerValue.length() > MAX_LENGTH) {
            throw malformed("Toloka-Signature header is too long");
        }
        int start = skipSpaces(headerValue, 0, headerValue.length());
        int end = trimSpaces(headerValue, start, headerValue.length());
        boolean opening = headerValue.charAt(start) == '{';
        boolean closing = headerValue.charAt(end - 1) == '}';
        if (opening != closing || (opening && end - start < 2)) {
            throw malformed("Toloka-Signature header has unbalanced braces");
        }
        if (opening) {
            start++;
            end--;
        }
        return parseFields(headerValue, start, end);
    }

    private static TolokaSignatureHeader parseFields(String s, int start, int end)
            throws VerificationException {
        String keyVersion = null;
        String timestamp = null;
        long timestampMillis = -1;
        byte[] sign = null;
        int fieldStart = start;
        while (fieldStart <= end) {
            int comma = indexOf(s, ',', fieldStart, end);
            int fieldEnd = comma < 0 ? end : comma;
            int equals = indexOf(s, '=', fieldStart, fieldEnd);
            if (equals < 0) {
                throw malformed("Toloka-Signature header has a field without '='");
            }
            int nameStart = skipSpaces(s, fieldStart, equals);
            int nameEnd = trimSpaces(s, nameStart, equals);
            int valueStart = skipSpaces(s, equals + 1, fieldEnd);
            int valueEnd = trimSpaces(s, valueStart, fieldEnd);
            if (isName(s, nameStart, nameEnd, "v") && keyVersion == null) {
                digits(s, valueStart, valueEnd, MAX_KEY_VERSION_DIGITS, "v");
                keyVersion = s.substring(valueStart, valueEnd);
            } else if (isName(s, nameStart, nameEnd, "ts") && timestamp == null) {
                timestampMillis = digits(s, valueStart, valueEnd, MAX_TIMESTAMP_DIGITS, "ts");
                timestamp = s.substring(valueStart, valueEnd);
            } else if (isName(s, nameStart, nameEnd, "sign") && sign == null) {
                sign = HmacSha256.parseHex64(s, valueStart, valueEnd);
                if (sign == null) {
                    throw malformed("Toloka-Signature sign is not 64 hex digits");
                }
            } else {
                throw malformed("Toloka-Signature header has an unknown or repeated field");
            }
            fieldStart = fieldEnd + 1;
        }
        if (keyVersion == null || timestamp == null || sign == null) {
            throw malformed("Toloka-Signature header lacks one of v, ts, sign");
        }
        return new TolokaSignatureHeader(keyVersion, timestamp, timestampMillis, sign);
    }

    /** Unix time in milliseconds at which Toloka signed the request (the {@code ts} field). */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** The {@code v} field: the version of the secret key, digits exactly as received. */
    public String keyVersion() {
        return keyVersion;
    }

    /** The presented 32-byte HMAC (the {@code sign} field, decoded); a fresh copy on every call. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The presented HMAC without a copy, for the verifier. */
    byte[] signatureBytes() {
        return signature;
    }

    /** The bytes that precede the raw body in the signed message: UTF-8 of {@code ts + "." + v + "."}. */
    byte[] signedPrefix() {
        return signedPrefix(timestampDigits, keyVersion);
    }

    /**
     * The one definition of the signed prefix, shared with {@link TolokaSigner}. Both arguments must
     * already be validated as ASCII digits (the parser and the signer's constructor do that).
     */
    static byte[] signedPrefix(String timestampDigits, String keyVersion) {
        // Both are ASCII digits, so their UTF-8 is one byte per char: no String concatenation needed.
        int tsLength = timestampDigits.length();
        byte[] prefix = new byte[tsLength + keyVersion.length() + 2];
        for (int i = 0; i < tsLength; i++) {
            prefix[i] = (byte) timestampDigits.charAt(i);
        }
        prefix[tsLength] = '.';
        for (int i = 0; i < keyVersion.length(); i++) {
            prefix[tsLength + 1 + i] = (byte) keyVersion.charAt(i);
        }
        prefix[prefix.length - 1] = '.';
        return prefix;
    }

    /** Names the fields but leaves the signature out. */
    @Override
    public String toString() {
        return "TolokaSignatureHeader[v=" + keyVersion + ", ts=" + timestampDigits + "]";
    }

    private static long digits(String s, int from, int to, int maxDigits, String field)
            throws VerificationException {
        long value = Digits.parse(s, from, to, maxDigits);
        if (value < 0) {
            throw malformed("Toloka-Signature " + field + " is not 1 to " + maxDigits + " digits");
        }
        return value;
    }

    private static boolean isName(String s, int from, int to, String name) {
        return to - from == name.length() && s.startsWith(name, from);
    }

    private static int indexOf(String s, char c, int from, int to) {
        int i = s.indexOf(c, from);
        return i >= 0 && i < to ? i : -1;
    }

    private static int skipSpaces(String s, int from, int to) {
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(String s, int from, int to) {
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static VerificationException missing() {
        return new VerificationException(MISSING_SIGNATURE, "Toloka-Signature header is missing");
    }

    private static VerificationException malformed(String message) {
        return new VerificationException(MALFORMED_SIGNATURE, message);
    }
}
