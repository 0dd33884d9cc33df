package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.MISSING_SIGNATURE;

import java.nio.charset.StandardCharsets;

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

    private static final byte[] V = {'v'};
    private static final byte[] TS = {'t', 's'};
    private static final byte[] SIGN = {'s', 'i', 'g', 'n'};

    private final String keyVersion;
    private final long timestampMillis;
    private final byte[] signature;
    private final byte[] signedPrefix;

    private TolokaSignatureHeader(String keyVersion, long timestampMillis, byte[] signature,
            byte[] signedPrefix) {
        this.keyVersion = keyVersion;
        this.timestampMillis = timestampMillis;
        this.signature = signature;
        this.signedPrefix = signedPrefix;
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
        // Every character the header may hold is ASCII: parsed as Latin-1 bytes (plain array reads on
        // the hot path), and anything beyond Latin-1 becomes '?', which no field accepts.
        byte[] s = Digits.latin1(headerValue);
        int start = skipSpaces(s, 0, s.length);
        int end = trimSpaces(s, start, s.length);
        boolean opening = s[start] == '{';
        boolean closing = s[end - 1] == '}';
        if (opening != closing || (opening && end - start < 2)) {
            throw malformed("Toloka-Signature header has unbalanced braces");
        }
        if (opening) {
            start++;
            end--;
        }
        return parseFields(s, start, end);
    }

    /**
     * One pass over the fields: each name up to its {@code =}, then its value read as what that field
     * holds (digits, or 64 hex digits decoded on the way), then only spaces up to the {@code ,} or the
     * end. A value is not first cut out at the next {@code ,} and validated after, which read the
     * signature's 64 characters twice.
     */
    private static TolokaSignatureHeader parseFields(byte[] s, int start, int end)
            throws VerificationException {
        int keyVersionStart = -1;
        int keyVersionEnd = -1;
        int timestampStart = -1;
        int timestampEnd = -1;
        long timestampMillis = -1;
        byte[] sign = null;
        int fieldStart = start;
        while (true) {
            int equals = fieldStart;
            while (equals < end && s[equals] != '=' && s[equals] != ',') {
                equals++;
            }
            if (equals == end || s[equals] != '=') {
                throw malformed("Toloka-Signature header has a field without '='");
            }
            int nameStart = skipSpaces(s, fieldStart, equals);
            int nameEnd = trimSpaces(s, nameStart, equals);
            int valueStart = skipSpaces(s, equals + 1, end);
            int valueEnd;
            String malformedValue; // the value is not what its field holds, or more follows it
            if (isName(s, nameStart, nameEnd, V) && keyVersionStart < 0) {
                malformedValue = "Toloka-Signature v is not 1 to " + MAX_KEY_VERSION_DIGITS + " digits";
                valueEnd = Digits.runEnd(s, valueStart, end);
                digits(s, valueStart, valueEnd, MAX_KEY_VERSION_DIGITS, malformedValue);
                keyVersionStart = valueStart;
                keyVersionEnd = valueEnd;
            } else if (isName(s, nameStart, nameEnd, TS) && timestampStart < 0) {
                malformedValue = "Toloka-Signature ts is not 1 to " + MAX_TIMESTAMP_DIGITS + " digits";
                valueEnd = Digits.runEnd(s, valueStart, end);
                timestampMillis = digits(s, valueStart, valueEnd, MAX_TIMESTAMP_DIGITS, malformedValue);
                timestampStart = valueStart;
                timestampEnd = valueEnd;
            } else if (isName(s, nameStart, nameEnd, SIGN) && sign == null) {
                malformedValue = "Toloka-Signature sign is not 64 hex digits";
                valueEnd = Math.min(valueStart + HmacSha256.HEX_LENGTH, end);
                sign = HmacSha256.parseHex64(s, valueStart, valueEnd);
                if (sign == null) {
                    throw malformed(malformedValue);
                }
            } else {
                throw malformed("Toloka-Signature header has an unknown or repeated field");
            }
            int fieldEnd = skipSpaces(s, valueEnd, end);
            if (fieldEnd < end && s[fieldEnd] != ',') {
                throw malformed(malformedValue);
            }
            if (fieldEnd == end) {
                break;
            }
            fieldStart = fieldEnd + 1;
        }
        if (keyVersionStart < 0 || timestampStart < 0 || sign == null) {
            throw malformed("Toloka-Signature header lacks one of v, ts, sign");
        }
        String keyVersion = new String(s, keyVersionStart, keyVersionEnd - keyVersionStart,
                StandardCharsets.ISO_8859_1);
        byte[] prefix = signedPrefix(s, timestampStart, timestampEnd, s, keyVersionStart, keyVersionEnd);
        return new TolokaSignatureHeader(keyVersion, timestampMillis, sign, prefix);
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
        return signedPrefix;
    }

    /**
     * The one definition of the signed prefix, shared with {@link TolokaSigner}: the ASCII digits
     * {@code ts[tsFrom, tsTo)}, a dot, {@code v[vFrom, vTo)}, a dot. Both ranges must already be
     * validated as ASCII digits (the parser and the signer's constructor do that), so their UTF-8 is
     * the bytes themselves.
     */
    static byte[] signedPrefix(byte[] ts, int tsFrom, int tsTo, byte[] v, int vFrom, int vTo) {
        int tsLength = tsTo - tsFrom;
        int vLength = vTo - vFrom;
        byte[] prefix = new byte[tsLength + vLength + 2];
        System.arraycopy(ts, tsFrom, prefix, 0, tsLength);
        prefix[tsLength] = '.';
        System.arraycopy(v, vFrom, prefix, tsLength + 1, vLength);
        prefix[prefix.length - 1] = '.';
        return prefix;
    }

    /** Names the fields but leaves the signature out. */
    @Override
    public String toString() {
        String timestampDigits = new String(signedPrefix, 0,
                signedPrefix.length - keyVersion.length() - 2, StandardCharsets.ISO_8859_1);
        return "TolokaSignatureHeader[v=" + keyVersion + ", ts=" + timestampDigits + "]";
    }

    /** The digits {@code s[from, to)} as a number, 1 to {@code maxDigits} of them. */
    private static long digits(byte[] s, int from, int to, int maxDigits, String malformedValue)
            throws VerificationException {
        long value = Digits.parse(s, from, to, maxDigits);
        if (value < 0) {
            throw malformed(malformedValue);
        }
        return value;
    }

    /**
     * Whether {@code s[from, to)} is {@code name}. A loop over at most four bytes, not
     * {@code Arrays.equals} over the ranges: its range checks and call into the vectorized mismatch
     * were a tenth of the parse for names this short (bench VerifyBench).
     */
    private static boolean isName(byte[] s, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (s[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(byte[] s, int from, int to) {
        while (from < to && isSpace(s[from])) {
            from++;
        }
        return from;
    }

    private static int trimSpaces(byte[] s, int from, int to) {
        while (to > from && isSpace(s[to - 1])) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    private static VerificationException missing() {
        return new VerificationException(MISSING_SIGNATURE, "Toloka-Signature header is missing");
    }

    private static VerificationException malformed(String message) {
        return new VerificationException(MALFORMED_SIGNATURE, message);
    }
}
