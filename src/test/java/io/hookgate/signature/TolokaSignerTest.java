package io.hookgate.signature;

import static io.hookgate.signature.Vectors.TOLOKA_BODY_COMPACT;
import static io.hookgate.signature.Vectors.TOLOKA_HEADER;
import static io.hookgate.signature.Vectors.TOLOKA_SECRET;
import static io.hookgate.signature.Vectors.TOLOKA_TS;
import static io.hookgate.signature.Vectors.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TolokaSignerTest {

    private final TolokaSigner signer = new TolokaSigner("1", utf8(TOLOKA_SECRET));

    @Test
    void shouldReproduceThePublishedHeader() {
        assertEquals(TOLOKA_HEADER, signer.signatureHeader(utf8(TOLOKA_BODY_COMPACT), TOLOKA_TS));
    }

    @Test
    void shouldKeepTheLeadingZeroOfADigest() throws Exception {
        TolokaVerifier verifier = new TolokaVerifier(Map.of("1", utf8(TOLOKA_SECRET)), Duration.ZERO,
                Clock.systemUTC());
        byte[] body = utf8(TOLOKA_BODY_COMPACT);
        long ts = TOLOKA_TS;
        String header = signer.signatureHeader(body, ts);
        while (!sign(header).startsWith("0")) { // about one in sixteen: Toloka's %040x SDK loses that zero
            header = signer.signatureHeader(body, ++ts);
        }

        assertEquals(64, sign(header).length());
        assertEquals(ts, verifier.verify(header, body).timestampMillis());
    }

    @Test
    void shouldWriteLowercaseHex() {
        String sign = sign(signer.signatureHeader(utf8("{}"), 0));

        assertTrue(sign.matches("[0-9a-f]{64}"), sign);
    }

    @Test
    void shouldRejectKeyVersionThatIsNotDigits() {
        assertThrows(IllegalArgumentException.class, () -> new TolokaSigner("v1", utf8(TOLOKA_SECRET)));
    }

    @Test
    void shouldRejectEmptySecretWithoutNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TolokaSigner("4", new byte[0]));

        assertTrue(e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void shouldRejectTimestampTheHeaderCannotCarry() {
        byte[] body = utf8("{}");

        assertThrows(IllegalArgumentException.class, () -> signer.signatureHeader(body, -1));
        assertThrows(IllegalArgumentException.class, () -> signer.signatureHeader(body, 1_000_000_000_000_000L));
        assertFalse(signer.signatureHeader(body, 999_999_999_999_999L).isEmpty());
    }

    private static String sign(String header) {
        return header.substring(header.indexOf("sign=") + 5, header.length() - 1);
    }
}
