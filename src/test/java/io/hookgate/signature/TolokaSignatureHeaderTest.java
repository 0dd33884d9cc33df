package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.MISSING_SIGNATURE;
import static io.hookgate.signature.Vectors.TOLOKA_HEADER;
import static io.hookgate.signature.Vectors.TOLOKA_SIGN;
import static io.hookgate.signature.Vectors.TOLOKA_TS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hookgate.signature.VerificationException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TolokaSignatureHeaderTest {

    private static final String SIGN_UPPER = "609AF3EEFD4C12B6AFAD30AB456EFCD21FE82F4247D3340151A3CA0C97A6CBCB";

    @Test
    void shouldParseTheDocumentedForm() throws Exception {
        TolokaSignatureHeader header = TolokaSignatureHeader.parse(TOLOKA_HEADER);

        assertEquals("1", header.keyVersion());
        assertEquals(TOLOKA_TS, header.timestampMillis());
        assertArrayEquals(HmacSha256.parseHex64(TOLOKA_SIGN), header.signature());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=1, ts=946728000000, sign=" + TOLOKA_SIGN,
        "{sign=" + TOLOKA_SIGN + ", v=1, ts=946728000000}",
        "ts=946728000000,sign=" + TOLOKA_SIGN + ",v=1",
        "  {  v = 1 ,\tts= 946728000000 ,sign =" + TOLOKA_SIGN + "  }  ",
        "{v=1,ts=946728000000,sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=946728000000, sign=" + SIGN_UPPER + "}",
    })
    void shouldAcceptLayoutVariants(String value) throws Exception {
        TolokaSignatureHeader header = TolokaSignatureHeader.parse(value);

        assertEquals("1", header.keyVersion());
        assertEquals(TOLOKA_TS, header.timestampMillis());
        assertArrayEquals(HmacSha256.parseHex64(TOLOKA_SIGN), header.signature());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t", " \r\n "})
    void shouldReportMissingSignatureForNullOrBlank(String value) {
        assertReason(MISSING_SIGNATURE, value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // duplicate field
        "{v=1, v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=946728000000, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + ", sign=" + TOLOKA_SIGN + "}",
        // unknown field, or a known one in the wrong case
        "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + ", alg=sha256}",
        "{V=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        // missing field
        "{ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=946728000000}",
        // field without '=' or empty, stray commas
        "{v=1, ts=946728000000, " + TOLOKA_SIGN + "}",
        "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + ",}",
        "{v=1,, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{}",
        "{",
        // unbalanced braces
        "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN,
        "v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}}",
        // non-digit or out-of-range ts (milliseconds, 1-15 digits)
        "{v=1, ts=9467280000.5, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=-946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=+946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=0x1F, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=1234567890123456, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts=946 728000000, sign=" + TOLOKA_SIGN + "}",
        // non-digit or too long v (1-9 digits)
        "{v=v1, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1234567890, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=\u0661, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        // beyond Latin-1, each with a low byte that is valid at its place ('1', 'v', ',' and '='):
        // the parser reads bytes, and none of these may pass as its low byte
        "{v=\u0131, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{\u0176=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1\u012C ts=946728000000, sign=" + TOLOKA_SIGN + "}",
        "{v=1, ts\u013D946728000000, sign=" + TOLOKA_SIGN + "}",
        // sign not exactly 64 hex digits
        "{v=1, ts=946728000000, sign=" + "609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbc" + "}",
        "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "0}",
        "{v=1, ts=946728000000, sign=" + "z09af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb" + "}",
        "{v=1, ts=946728000000, sign==" + TOLOKA_SIGN + "}",
        "{v=1, ts=946728000000, sign=}",
    })
    void shouldRejectMalformedHeaders(String value) {
        assertReason(MALFORMED_SIGNATURE, value);
    }

    @Test
    void shouldRejectHeaderWithSign63Chars() {
        assertReason(MALFORMED_SIGNATURE, "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN.substring(1) + "}");
    }

    @Test
    void shouldRejectHeaderWithSign65Chars() {
        assertReason(MALFORMED_SIGNATURE, "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "a}");
    }

    @Test
    void shouldRejectOverLongHeader() {
        String padded = "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}" + " ".repeat(200);

        assertReason(MALFORMED_SIGNATURE, padded);
    }

    @Test
    void shouldAcceptHeaderAtTheLengthLimit() throws Exception {
        String header = TOLOKA_HEADER;
        String padded = header + " ".repeat(TolokaSignatureHeader.MAX_LENGTH - header.length());

        assertEquals(TOLOKA_TS, TolokaSignatureHeader.parse(padded).timestampMillis());
    }

    @Test
    void shouldKeepKeyVersionDigitsExactlyAsReceived() throws Exception {
        TolokaSignatureHeader header = TolokaSignatureHeader.parse(
                "{v=007, ts=946728000000, sign=" + TOLOKA_SIGN + "}");

        assertEquals("007", header.keyVersion());
    }

    @Test
    void shouldReturnACopyOfTheSignature() throws Exception {
        TolokaSignatureHeader header = TolokaSignatureHeader.parse(TOLOKA_HEADER);

        header.signature()[0] = 0;

        assertArrayEquals(HmacSha256.parseHex64(TOLOKA_SIGN), header.signature());
    }

    @Test
    void shouldLeaveTheSignatureOutOfToString() throws Exception {
        String text = TolokaSignatureHeader.parse(TOLOKA_HEADER).toString();

        assertFalse(text.contains(TOLOKA_SIGN));
    }

    private static void assertReason(Reason expected, String value) {
        VerificationException e = assertThrows(VerificationException.class,
                () -> TolokaSignatureHeader.parse(value));
        assertEquals(expected, e.reason());
    }
}
