package io.hookgate.camel;

import static io.hookgate.wire.RejectedRequestException.Reason.INCOMPLETE_BODY;
import static io.hookgate.wire.RejectedRequestException.Reason.MALFORMED_BODY;
import static io.hookgate.wire.RejectedRequestException.Reason.PAYLOAD_TOO_LARGE;
import static io.hookgate.wire.RejectedRequestException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookgate.signature.VerificationException;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.wire.RejectedRequestException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RejectionTest {

    @ParameterizedTest
    @EnumSource(VerificationException.Reason.class)
    void shouldAnswer401WithoutDetailForEveryVerificationFailure(VerificationException.Reason reason) {
        Rejection rejection = Rejection.of(new VerificationException(reason, "Toloka-Signature does not match"));

        assertEquals(new Rejection(reason.code(), 401, null, false), rejection);
    }

    @ParameterizedTest
    @EnumSource(RejectedRequestException.Reason.class)
    void shouldAnswerARefusedRequestWithItsStatusCodeAndDetail(RejectedRequestException.Reason reason) {
        Rejection rejection = Rejection.of(new RejectedRequestException(reason, "what was wrong"));

        assertEquals(new Rejection(reason.code(), reason.status(), "what was wrong", reason.bodyUnread()), rejection);
    }

    @Test
    void shouldMapEachRefusalToItsDocumentedStatus() {
        assertEquals(new Rejection("malformed-body", 400, "d", false), refused(MALFORMED_BODY));
        assertEquals(new Rejection("payload-too-large", 413, "d", true), refused(PAYLOAD_TOO_LARGE));
        assertEquals(new Rejection("unsupported-media-type", 415, "d", false), refused(UNSUPPORTED_MEDIA_TYPE));
        assertEquals(new Rejection("incomplete-body", 400, "d", true), refused(INCOMPLETE_BODY));
    }

    @Test
    void shouldAnswerAMalformedBatchAs400WithItsDetail() {
        Rejection rejection = Rejection.of(new MalformedBatchException("event #2 is not an object"));

        assertEquals(new Rejection("malformed-body", 400, "event #2 is not an object", false), rejection);
    }

    @Test
    void shouldAnswerAnythingElseAs500WithoutDetail() {
        Rejection expected = new Rejection(Rejection.INTERNAL_ERROR, 500, null, false);

        assertEquals(expected, Rejection.of(new IllegalStateException("secret=hunter2")));
        assertEquals(expected, Rejection.of(new NullPointerException()));
        assertEquals(expected, Rejection.of(new IOException("connection reset")));
        assertEquals(expected, Rejection.of(new StackOverflowError()));
        assertEquals(expected, Rejection.of(null));
        assertEquals("internal-error", Rejection.INTERNAL_ERROR);
    }

    private static Rejection refused(RejectedRequestException.Reason reason) {
        return Rejection.of(new RejectedRequestException(reason, "d"));
    }
}
