package io.hookgate.signature;

import static io.hookgate.signature.Vectors.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hookgate.signature.VerificationException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class VerificationExceptionTest {

    private static final String SECRET = "hunter2-very-secret";
    private static final long TS = 1_748_779_200_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(TS), ZoneOffset.UTC);

    @Test
    void shouldExposeKebabCaseCodes() {
        assertEquals("missing-signature", Reason.MISSING_SIGNATURE.code());
        assertEquals("malformed-signature", Reason.MALFORMED_SIGNATURE.code());
        assertEquals("unknown-key-version", Reason.UNKNOWN_KEY_VERSION.code());
        assertEquals("timestamp-out-of-window", Reason.TIMESTAMP_OUT_OF_WINDOW.code());
        assertEquals("signature-mismatch", Reason.SIGNATURE_MISMATCH.code());
    }

    @Test
    void shouldNeverPutSecretsExpectedSignaturesOrPresentedValuesInMessages() {
        byte[] body = utf8("{\"events\":[]}");
        byte[] otherBody = utf8("{\"events\":[{}]}");
        TolokaVerifier toloka = new TolokaVerifier(Map.of("1", utf8(SECRET)), Duration.ofMinutes(5), CLOCK);
        TolokaSigner tolokaSigner = new TolokaSigner("1", utf8(SECRET));
        String expectedToloka = sign(tolokaSigner.signatureHeader(otherBody, TS));
        String presentedToloka = tolokaSigner.signatureHeader(body, TS);
        String staleToloka = tolokaSigner.signatureHeader(otherBody, TS - 3_600_000);
        String unknownVersion = new TolokaSigner("9", utf8(SECRET)).signatureHeader(otherBody, TS);
        String malformedToloka = "{v=1, ts=" + TS + ", sign=" + expectedToloka + "0}";

        SkyvernVerifier skyvern = new SkyvernVerifier(List.of(utf8(SECRET)), Duration.ofMinutes(5), CLOCK);
        String expectedSkyvern = new SkyvernSigner(utf8(SECRET)).signature(otherBody);
        String presentedSkyvern = new SkyvernSigner(utf8(SECRET)).signature(body);
        String staleSeconds = Long.toString(TS / 1000 - 3600);

        List<Executable> calls = List.of(
                () -> toloka.verify(null, otherBody),
                () -> toloka.verify(malformedToloka, otherBody),
                () -> toloka.verify(unknownVersion, otherBody),
                () -> toloka.verify(staleToloka, otherBody),
                () -> toloka.verify(presentedToloka, otherBody),
                () -> skyvern.verify(null, null, otherBody),
                () -> skyvern.verify(expectedSkyvern + "0", null, otherBody),
                () -> skyvern.verify(expectedSkyvern, "12:00", otherBody),
                () -> skyvern.verify(expectedSkyvern, staleSeconds, otherBody),
                () -> skyvern.verify(presentedSkyvern, staleSeconds, otherBody));
        List<String> forbidden = List.of(SECRET, expectedToloka, presentedToloka, sign(presentedToloka),
                malformedToloka, expectedSkyvern, presentedSkyvern);

        Set<Reason> seen = EnumSet.noneOf(Reason.class);
        List<String> messages = new ArrayList<>();
        for (Executable call : calls) {
            VerificationException e = assertThrows(VerificationException.class, call);
            seen.add(e.reason());
            messages.add(e.getMessage());
        }

        assertEquals(EnumSet.allOf(Reason.class), seen);
        for (String message : messages) {
            for (String value : forbidden) {
                assertFalse(message.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT)),
                        "message leaks a value: " + message);
            }
        }
    }

    private static String sign(String header) {
        return header.substring(header.indexOf("sign=") + 5, header.length() - 1);
    }
}
