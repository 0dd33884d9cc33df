package io.hookgate.wire;

/**
 * A request refused for what it is, not for its signature: its body, size or media type. Carries the
 * machine-readable reason written to the dead-letter record and the HTTP status answered.
 */
public final class RejectedRequestException extends RuntimeException {

    /** Why a request was refused, with the HTTP status the sender gets. */
    public enum Reason {
        MALFORMED_BODY("malformed-body", 400, false),
        PAYLOAD_TOO_LARGE("payload-too-large", 413, true),
        UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, false),
        INCOMPLETE_BODY("incomplete-body", 400, true);

        private final String code;
        private final int status;
        private final boolean bodyUnread;

        Reason(String code, int status, boolean bodyUnread) {
            this.code = code;
            this.status = status;
            this.bodyUnread = bodyUnread;
        }

        /** The body was not read to its end, so the connection cannot carry another request. */
        public boolean bodyUnread() {
            return bodyUnread;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public RejectedRequestException(Reason reason, String detail) {
        super(detail, null, false, false); // thrown for garbage input: no stack trace to fill
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
