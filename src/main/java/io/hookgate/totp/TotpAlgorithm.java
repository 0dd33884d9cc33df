package io.hookgate.totp;

import java.util.Locale;

/** The HMAC hash of a TOTP key (RFC 6238 section 1.2), as named in an otpauth URI. */
public enum TotpAlgorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA512("HmacSHA512");

    /** Longest unknown name echoed into a message. */
    private static final int MAX_QUOTED_LENGTH = 10;

    private final String macName;

    TotpAlgorithm(String macName) {
        this.macName = macName;
    }

    /** The JCA name of the MAC, for {@link javax.crypto.Mac#getInstance(String)}. */
    public String macName() {
        return macName;
    }

    /**
     * The algorithm named {@code name}, case-insensitively ({@code SHA1}, {@code sha256}, ...).
     *
     * @throws IllegalArgumentException if the name is none of {@code SHA1}, {@code SHA256}, {@code SHA512}
     */
    public static TotpAlgorithm fromName(String name) {
        if (name != null) {
            String upper = name.strip().toUpperCase(Locale.ROOT);
            for (TotpAlgorithm algorithm : values()) {
                if (algorithm.name().equals(upper)) {
                    return algorithm;
                }
            }
        }
        throw new IllegalArgumentException("unknown algorithm" + quotedIfHarmless(name) + ", expected SHA1, SHA256 or SHA512");
    }

    /**
     * {@code " 'MD5'"} for a short name of letters, digits and {@code -}, else nothing: the value taken
     * from a malformed URI (a missing {@code &}, say) could run into the secret.
     */
    private static String quotedIfHarmless(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_QUOTED_LENGTH) {
            return "";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return "";
            }
        }
        return " '" + name + "'";
    }
}
