package io.hookgate.signature;

import java.util.Objects;

/**
 * A webhook request failed signature verification.
 *
 * <p>The only exception the verifiers throw for a bad request; misconfiguration is reported at
 * construction time with {@link IllegalArgumentException} instead. It carries a machine-readable
 * {@link Reason} so that callers (the Camel glue, the dead-letter writer, metrics) can map outcomes
 * without parsing text. Messages are short and fixed: they never contain a secret, an expected
 * signature, or the header value that was presented.
 */
public final class VerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request was rejected. {@link #code()} is the stable, kebab-case form for logs and metrics. */
    public enum Reason {
        /** The signature header is absent or blank. */
        MISSING_SIGNATURE("missing-signature"),
        /** The signature header (or Skyvern's timestamp header) does not have the expected shape. */
        MALFORMED_SIGNATURE("malformed-signature"),
        /** The Toloka header names a key version that is not configured. */
        UNKNOWN_KEY_VERSION("unknown-key-version"),
        /** The signature is valid but the timestamp is outside the configured window (or absent). */
        TIMESTAMP_OUT_OF_WINDOW("timestamp-out-of-window"),
        /** No configured key produces the presented signature over the received bytes. */
        SIGNATURE_MISMATCH("signature-mismatch");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The stable kebab-case code, e.g. {@code signature-mismatch}. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    /**
     * @param reason  why verification failed
     * @param message a short fixed text; callers must not put secrets or presented values in it
     */
    public VerificationException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why verification failed. */
    public Reason reason() {
        return reason;
    }
}
