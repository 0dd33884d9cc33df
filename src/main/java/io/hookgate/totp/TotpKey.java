package io.hookgate.totp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A TOTP shared secret with its parameters (RFC 6238): the secret bytes, the HMAC algorithm, the
 * number of digits and the time step.
 *
 * <p>Built from configuration with {@link #parse(String)}, which takes either a bare Base32 secret, as
 * shown next to a QR code, or the whole {@code otpauth://totp/...} key URI that the QR code encodes
 * (the Google Authenticator key-URI format). Messages of the exceptions it throws say what is wrong
 * without quoting the secret; the caller prefixes the property name. {@link #toString()} never shows
 * the secret.
 *
 * <p>Immutable: the secret is copied in and out.
 */
public final class TotpKey {

    public static final TotpAlgorithm DEFAULT_ALGORITHM = TotpAlgorithm.SHA1;
    public static final int DEFAULT_DIGITS = 6;
    public static final int DEFAULT_PERIOD_SECONDS = 30;
    public static final int MIN_DIGITS = 6;
    public static final int MAX_DIGITS = 10;

    private static final String OTPAUTH_SCHEME = "otpauth:";

    /** The otpauth parameters that matter; others ({@code issuer}, {@code image}, ...) are ignored. */
    private enum Parameter { SECRET, ALGORITHM, DIGITS, PERIOD }

    private final byte[] secret;
    private final TotpAlgorithm algorithm;
    private final int digits;
    private final int periodSeconds;

    /**
     * @param secret the raw shared secret; copied, so the caller may clear its array afterwards
     * @param algorithm the HMAC hash
     * @param digits the length of a code, {@value #MIN_DIGITS} to {@value #MAX_DIGITS}
     * @param periodSeconds the time step in seconds, at least 1
     * @throws IllegalArgumentException if the secret is empty or a number is out of range
     */
    public TotpKey(byte[] secret, TotpAlgorithm algorithm, int digits, int periodSeconds) {
        Objects.requireNonNull(secret, "secret");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret is empty");
        }
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("digits must be " + MIN_DIGITS + " to " + MAX_DIGITS);
        }
        if (periodSeconds < 1) {
            throw new IllegalArgumentException("period must be a positive number of seconds");
        }
        this.secret = secret.clone();
        this.digits = digits;
        this.periodSeconds = periodSeconds;
    }

    /**
     * Parses a TOTP key from configuration.
     *
     * <ul>
     *   <li>A bare Base32 secret (RFC 4648 alphabet {@code A-Z 2-7}, any case; spaces and {@code -}
     *       ignored; {@code =} padding optional) gives a key with the defaults: SHA1, 6 digits, 30 s.
     *   <li>An {@code otpauth://totp/Label?secret=...&algorithm=...&digits=...&period=...} URI: the
     *       label (URL-encoded, optionally {@code Issuer:}-prefixed) and {@code issuer} are accepted and
     *       ignored; parameter names and the algorithm are case-insensitive; missing parameters take
     *       the defaults. {@code otpauth://hotp} (counter-based) keys are refused.
     * </ul>
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the secret
     */
    public static TotpKey parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("TOTP key is empty");
        }
        String trimmed = value.strip();
        if (trimmed.regionMatches(true, 0, OTPAUTH_SCHEME, 0, OTPAUTH_SCHEME.length())) {
            return parseUri(trimmed);
        }
        return new TotpKey(decodeBase32(trimmed, "secret"), DEFAULT_ALGORITHM, DEFAULT_DIGITS, DEFAULT_PERIOD_SECONDS);
    }

    /** A copy of the raw shared secret. */
    public byte[] secret() {
        return secret.clone();
    }

    public TotpAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    public int periodSeconds() {
        return periodSeconds;
    }

    /** The parameters only, e.g. {@code TotpKey[SHA1, 6 digits, 30 s]}: never the secret. */
    @Override
    public String toString() {
        return "TotpKey[" + algorithm + ", " + digits + " digits, " + periodSeconds + " s]";
    }

    private static TotpKey parseUri(String uri) {
        String rest = uri.substring(OTPAUTH_SCHEME.length());
        if (!rest.startsWith("//")) {
            throw new IllegalArgumentException("otpauth URI must start with otpauth://totp/");
        }
        rest = rest.substring(2);
        int typeEnd = indexOfAny(rest, "/?#", 0);
        String type = rest.substring(0, typeEnd).toLowerCase(Locale.ROOT);
        if (type.equals("hotp")) {
            throw new IllegalArgumentException("otpauth URI is for an HOTP (counter-based) key; only TOTP is supported");
        }
        if (!type.equals("totp")) {
            throw new IllegalArgumentException("otpauth URI must start with otpauth://totp/");
        }
        // The label (between the type and '?') only names the account; it does not change the codes.
        int queryStart = rest.indexOf('?', typeEnd);
        Map<Parameter, String> parameters = queryStart < 0 ? new EnumMap<>(Parameter.class) : parameters(rest, queryStart + 1);

        String secretText = parameters.get(Parameter.SECRET);
        if (secretText == null || secretText.isBlank()) {
            throw new IllegalArgumentException("otpauth URI has no secret");
        }
        byte[] secret = decodeBase32(secretText, "otpauth URI secret");
        TotpAlgorithm algorithm = parameters.containsKey(Parameter.ALGORITHM)
                ? TotpAlgorithm.fromName(parameters.get(Parameter.ALGORITHM))
                : DEFAULT_ALGORITHM;
        int digits = parameters.containsKey(Parameter.DIGITS)
                ? number(parameters.get(Parameter.DIGITS), "digits must be " + MIN_DIGITS + " to " + MAX_DIGITS)
                : DEFAULT_DIGITS;
        int period = parameters.containsKey(Parameter.PERIOD)
                ? number(parameters.get(Parameter.PERIOD), "period must be a positive number of seconds")
                : DEFAULT_PERIOD_SECONDS;
        return new TotpKey(secret, algorithm, digits, period);
    }

    /** The known parameters of the query that starts at {@code from}, percent-decoded. */
    private static Map<Parameter, String> parameters(String s, int from) {
        int end = s.indexOf('#', from);
        String query = s.substring(from, end < 0 ? s.length() : end);
        Map<Parameter, String> parameters = new EnumMap<>(Parameter.class);
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq)).strip().toUpperCase(Locale.ROOT);
            Parameter parameter = known(name);
            if (parameter == null) {
                continue;
            }
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            if (parameters.putIfAbsent(parameter, value) != null) {
                throw new IllegalArgumentException(
                        "otpauth URI has more than one '" + parameter.name().toLowerCase(Locale.ROOT) + "' parameter");
            }
        }
        return parameters;
    }

    private static Parameter known(String upperCaseName) {
        for (Parameter parameter : Parameter.values()) {
            if (parameter.name().equals(upperCaseName)) {
                return parameter;
            }
        }
        return null;
    }

    /** A decimal of at most 9 digits (so it fits an int); else {@code problem}. Ranges: the constructor. */
    private static int number(String text, String problem) {
        String digits = text.strip();
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(problem);
        }
        return Integer.parseInt(digits);
    }

    /**
     * RFC 3986 percent-decoding as UTF-8; {@code +} is read as a space, as in form-encoded queries.
     * Written out rather than {@link java.net.URLDecoder}, whose messages quote the input.
     */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                int high = i + 2 < s.length() ? hexValue(s.charAt(i + 1)) : -1;
                int low = i + 2 < s.length() ? hexValue(s.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("otpauth URI has a malformed %-escape");
                }
                bytes.write((high << 4) | low);
                i += 3;
            } else if (c == '+') {
                bytes.write(' ');
                i++;
            } else {
                int codePoint = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * RFC 4648 Base32, case-insensitive, spaces and {@code -} ignored, trailing {@code =} padding
     * optional. Leftover bits of the last character are ignored, as authenticator apps do.
     *
     * @param what names the value in messages, which give positions, never characters
     */
    static byte[] decodeBase32(String text, String what) {
        int[] values = new int[text.length()];
        int count = 0;
        int padding = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '-') {
                continue;
            }
            if (c == '=') {
                padding++;
                continue;
            }
            if (padding > 0) {
                throw new IllegalArgumentException(what + " is not valid Base32 ('=' padding before the end)");
            }
            int value = base32Value(c);
            if (value < 0) {
                throw new IllegalArgumentException(
                        what + " is not valid Base32 (character " + (i + 1) + " is not A-Z or 2-7)");
            }
            values[count++] = value;
        }
        if (count == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        int remainder = count % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            throw new IllegalArgumentException(what + " is not valid Base32 (wrong length)");
        }
        if (padding > 0 && (count + padding) % 8 != 0) {
            throw new IllegalArgumentException(what + " is not valid Base32 (wrong padding)");
        }
        byte[] out = new byte[count * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = 0; i < count; i++) {
            buffer = (buffer << 5) | values[i];
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }
        return out;
    }

    /** ASCII hex only: {@link Character#digit} would also accept e.g. full-width digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int base32Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
