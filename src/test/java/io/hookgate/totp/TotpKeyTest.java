package io.hookgate.totp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpKeyTest {

    /** "Hello!" followed by 0xDEADBEEF: the secret of Google Authenticator's key-URI example. */
    private static final String SECRET = "JBSWY3DPEHPK3PXP";
    private static final byte[] SECRET_BYTES = HexFormat.of().parseHex("48656c6c6f21deadbeef");

    @Test
    void shouldParseBareBase32WithDefaults() {
        TotpKey key = TotpKey.parse(SECRET);

        assertArrayEquals(SECRET_BYTES, key.secret());
        assertEquals(TotpAlgorithm.SHA1, key.algorithm());
        assertEquals(6, key.digits());
        assertEquals(30, key.periodSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jbswy3dpehpk3pxp",
        "JBSW Y3DP EHPK 3PXP",
        "jbsw-y3dp-ehpk-3pxp",
        "  JBSWY3DPEHPK3PXP\n",
    })
    void shouldParseBase32InAnyCaseWithSpacesAndDashes(String value) {
        assertArrayEquals(SECRET_BYTES, TotpKey.parse(value).secret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW6YQ=", "MZXW6YQ", "mzxw 6yq="})
    void shouldAcceptBase32WithOrWithoutPadding(String value) {
        assertArrayEquals("foob".getBytes(StandardCharsets.US_ASCII), TotpKey.parse(value).secret());
    }

    @Test
    void shouldParseOtpauthUriWithIssuerLabel() {
        TotpKey key = TotpKey.parse("otpauth://totp/ACME%20Co:john.doe%40example.com?secret=" + SECRET
                + "&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60");

        assertArrayEquals(SECRET_BYTES, key.secret());
        assertEquals(TotpAlgorithm.SHA256, key.algorithm());
        assertEquals(8, key.digits());
        assertEquals(60, key.periodSeconds());
    }

    @Test
    void shouldReadOtpauthParameterNamesAndAlgorithmInAnyCase() {
        TotpKey key = TotpKey.parse("OTPAUTH://TOTP/alice?SECRET=" + SECRET.toLowerCase()
                + "&Algorithm=sha512&DIGITS=10&Period=45");

        assertArrayEquals(SECRET_BYTES, key.secret());
        assertEquals(TotpAlgorithm.SHA512, key.algorithm());
        assertEquals(10, key.digits());
        assertEquals(45, key.periodSeconds());
    }

    @Test
    void shouldApplyDefaultsToOtpauthUriWithSecretOnly() {
        TotpKey key = TotpKey.parse("otpauth://totp/alice?secret=" + SECRET);

        assertEquals("TotpKey[SHA1, 6 digits, 30 s]", key.toString());
    }

    @Test
    void shouldIgnoreUnknownOtpauthParameters() {
        TotpKey key = TotpKey.parse("otpauth://totp/ACME:alice?image=https%3A%2F%2Fexample.com%2Flogo.png&secret="
                + SECRET + "&issuer=ACME#fragment");

        assertArrayEquals(SECRET_BYTES, key.secret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JBSWY3DPEHPK3PX1", "JBSWY3DPEHPK3PX8", "JBSWY3DPEHPK3PX0", "JBSWY3DPEHPK3PX!"})
    void shouldRejectCharactersOutsideBase32Alphabet(String value) {
        assertMessage("not valid Base32", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"JBSWY3DPE", "JBSWY3DPEHP", "JBSWY3DPEHPK3P"})
    void shouldRejectImpossibleBase32Length(String value) {
        assertMessage("not valid Base32", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW6YQ==", "MZ=XW6YQ", "MZXW6YQ=A"})
    void shouldRejectMisplacedPadding(String value) {
        assertMessage("not valid Base32", value);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "-- --", "===="})
    void shouldRejectEmptyKey(String value) {
        assertThrows(IllegalArgumentException.class, () -> TotpKey.parse(value));
    }

    @Test
    void shouldRejectBadBase32InOtpauthUri() {
        assertMessage("otpauth URI secret is not valid Base32", "otpauth://totp/alice?secret=JBSWY3DPEHPK3PX1");
    }

    @Test
    void shouldRejectUnknownAlgorithm() {
        assertMessage("unknown algorithm 'MD5'", "otpauth://totp/alice?secret=" + SECRET + "&algorithm=MD5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "11", "0", "-6", "six", "", "99999999999"})
    void shouldRejectDigitsOutsideSixToTen(String digits) {
        assertMessage("digits must be 6 to 10", "otpauth://totp/alice?secret=" + SECRET + "&digits=" + digits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-30", "thirty", ""})
    void shouldRejectPeriodThatIsNotPositive(String period) {
        assertMessage("period must be a positive number of seconds",
                "otpauth://totp/alice?secret=" + SECRET + "&period=" + period);
    }

    @Test
    void shouldRefuseHotpUri() {
        assertMessage("HOTP", "otpauth://hotp/alice?secret=" + SECRET + "&counter=0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"otpauth://sotp/alice?secret=" + SECRET, "otpauth:totp/alice?secret=" + SECRET})
    void shouldRejectOtherOtpauthTypes(String uri) {
        assertMessage("otpauth URI must start with otpauth://totp/", uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "otpauth://totp/alice",
        "otpauth://totp/alice?issuer=ACME",
        "otpauth://totp/alice?secret=&issuer=ACME",
        "otpauth://totp/alice?secret",
    })
    void shouldRejectOtpauthUriWithoutSecret(String uri) {
        assertMessage("otpauth URI has no secret", uri);
    }

    @Test
    void shouldRejectOtpauthUriWithTwoSecrets() {
        assertMessage("more than one 'secret' parameter",
                "otpauth://totp/alice?secret=" + SECRET + "&SECRET=MZXW6YQ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"otpauth://totp/alice?secret=JBSWY3DP%G1", "otpauth://totp/alice?secret=JBSWY3DP%4"})
    void shouldRejectMalformedPercentEscape(String uri) {
        assertMessage("malformed %-escape", uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "JBSWY3DPEHPK3PX1",
        "JBSWY3DPEHPK3P",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PX1",
        "otpauth://hotp/alice?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
        "otpauth://totp/alice?algorithm=MD5secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/alice?digits=8secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&digits=5",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=0",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/alice?secret=JBSWY3DPEHPK3PX%ZZ",
    })
    void shouldNotQuoteSecretInMessages(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TotpKey.parse(value));

        assertFalse(e.getMessage().toUpperCase().contains("JBSW"), e.getMessage());
        assertFalse(e.getMessage().contains("3PX"), e.getMessage());
    }

    @Test
    void shouldNotRevealSecretInToString() {
        TotpKey key = TotpKey.parse(SECRET);

        assertEquals("TotpKey[SHA1, 6 digits, 30 s]", key.toString());
        assertFalse(key.toString().contains(SECRET));
        assertFalse(key.toString().contains("48656c6c6f"));
    }

    @Test
    void shouldCopySecretInAndOut() {
        byte[] secret = SECRET_BYTES.clone();
        TotpKey key = new TotpKey(secret, TotpAlgorithm.SHA1, 6, 30);

        secret[0] = 0;
        key.secret()[1] = 0;

        assertArrayEquals(SECRET_BYTES, key.secret());
    }

    @Test
    void shouldRejectEmptySecretInConstructor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TotpKey(new byte[0], TotpAlgorithm.SHA1, 6, 30));

        assertEquals("secret is empty", e.getMessage());
    }

    private static void assertMessage(String expectedPart, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TotpKey.parse(value));

        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }
}
