package io.hookgate.camel;

import io.hookgate.signature.VerificationException;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.wire.RejectedRequestException;

/**
 * The one place that turns a failure into what the sender and the dead-letter topic are told: a
 * machine-readable reason, an HTTP status, and a detail safe to show (never a secret, an expected
 * signature or a piece of the body).
 *
 * @param reason e.g. {@code signature-mismatch}
 * @param status the HTTP status answered
 * @param detail a short explanation for the sender, or null where saying more would help a forger
 * @param closeConnection whether the answer must close the connection (the body was left unread)
 */
public record Rejection(String reason, int status, String detail, boolean closeConnection) {

    public static final String INTERNAL_ERROR = "internal-error";

    public static Rejection of(Throwable failure) {
        if (failure instanceof VerificationException e) {
            return new Rejection(e.reason().code(), 401, null, false);
        }
        if (failure instanceof RejectedRequestException e) {
            return new Rejection(e.reason().code(), e.reason().status(), e.getMessage(), e.reason().bodyUnread());
        }
        if (failure instanceof MalformedBatchException e) {
            return new Rejection(RejectedRequestException.Reason.MALFORMED_BODY.code(), 400, e.getMessage(), false);
        }
        return new Rejection(INTERNAL_ERROR, 500, null, false);
    }

    /** A failure of hookgate itself (a bug), not of the request: always logged and dead-lettered. */
    public boolean isInternalError() {
        return INTERNAL_ERROR.equals(reason);
    }
}
