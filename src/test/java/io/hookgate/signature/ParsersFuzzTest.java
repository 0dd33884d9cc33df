package io.hookgate.signature;

import static io.hookgate.signature.VerificationException.Reason.MALFORMED_SIGNATURE;
import static io.hookgate.signature.VerificationException.Reason.SIGNATURE_MISMATCH;
import static io.hookgate.signature.VerificationException.Reason.TIMESTAMP_OUT_OF_WINDOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
import io.hookgate.totp.TotpKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that reads untrusted request bytes before or while
 * they are verified: whatever the input, the only exception is the declared one, a genuine signature
 * always verifies and a changed one never does.
 *
 * <p>Jazzer fuzzes one {@code @FuzzTest} per JVM and each JVM costs tens of seconds to instrument, so
 * the targets share one fuzz test: the first input byte picks the target ({@code '0'} to {@code '4'},
 * see {@link #fuzz}), the rest is that target's input. The seeds are the published vectors, in
 * {@code src/test/resources/io/hookgate/signature/ParsersFuzzTestInputs/fuzz}, named after their
 * target. The {@code fuzz} execution in pom.xml runs this in fuzzing mode for {@code fuzz.duration};
 * the default unit-test run leaves it out.
 *
 * <p>The HMAC oracle here is {@link Mac} itself, not {@link HmacSha256}, so that a slip in the
 * verifier's own MAC code cannot hide behind the same slip in the test.
 */
class ParsersFuzzTest {

    private static final Pattern SIGN_VALUE = Pattern.compile("sign[ \\t]*=[ \\t]*([0-9A-Fa-f]{64})");
    private static final Pattern TIMESTAMP_DIGITS = Pattern.compile("[0-9]{1,15}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long NOW_MILLIS = Vectors.TOLOKA_TS;
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);

    private static final byte[] TOLOKA_SECRET = Vectors.utf8(Vectors.TOLOKA_SECRET);
    private static final TolokaVerifier TOLOKA = new TolokaVerifier(
            Map.of(Vectors.TOLOKA_KEY_VERSION, TOLOKA_SECRET), TOLERANCE, CLOCK);
    private static final TolokaSigner TOLOKA_SIGNER = new TolokaSigner(Vectors.TOLOKA_KEY_VERSION, TOLOKA_SECRET);

    private static final List<byte[]> SKYVERN_KEYS =
            List.of(Vectors.utf8(Vectors.SKYVERN_KEY), Vectors.utf8("sk_rotated_key"));
    private static final SkyvernVerifier SKYVERN = new SkyvernVerifier(SKYVERN_KEYS, TOLERANCE, CLOCK);
    private static final SkyvernVerifier SKYVERN_NO_WINDOW = new SkyvernVerifier(SKYVERN_KEYS, Duration.ZERO, CLOCK);

    /**
     * Dispatches on the first byte: '0' the Toloka-Signature header parser, '1' the Toloka verifier,
     * '2' the Skyvern verifier, '3' TotpKey.parse, '4' TolokaBatch.parse (other bytes: modulo 5).
     */
    @FuzzTest
    @DictionaryEntries({"v=", "ts=", "sign=", "{", "}", ", ", "946728000000", "946728000",
            "otpauth://totp/", "?secret=", "&algorithm=SHA256", "&digits=", "&period=", "%",
            "{\"events\":[", "\"type\":\"", "\"uuid\":\"", "]}"})
    void fuzz(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        switch (Math.floorMod(input[0] - '0', 5)) {
            case 0 -> tolokaHeader(rest);
            case 1 -> tolokaVerifier(rest);
            case 2 -> skyvernVerifier(rest);
            case 3 -> totpKey(rest);
            default -> tolokaBatch(rest);
        }
    }

    // ---- '0': TolokaSignatureHeader.parse ---------------------------------------------------------

    private static void tolokaHeader(byte[] input) {
        checkHeader(new String(input, StandardCharsets.UTF_8));
        checkHeader(new String(input, StandardCharsets.ISO_8859_1));
    }

    /** Parses; what it accepts must have the documented shape and survive a canonical round trip. */
    private static TolokaSignatureHeader checkHeader(String headerValue) {
        TolokaSignatureHeader header;
        try {
            header = TolokaSignatureHeader.parse(headerValue);
        } catch (VerificationException expected) {
            assertNotNull(expected.reason());
            return null;
        }
        assertTrue(headerValue.length() <= TolokaSignatureHeader.MAX_LENGTH, "accepted an over-long header");
        String v = header.keyVersion();
        assertTrue(isAsciiDigits(v, TolokaSignatureHeader.MAX_KEY_VERSION_DIGITS), "v is not 1-9 digits");
        byte[] sign = header.signature();
        assertEquals(32, sign.length);
        String hex = HmacSha256.toHex(sign);
        assertFalse(header.toString().contains(hex), "toString shows the signature");
        assertTrue(headerValue.toLowerCase(Locale.ROOT).contains(hex), "sign is not the header's");

        // The signed prefix is ts "." v "." with the digits exactly as received.
        String prefix = new String(header.signedPrefix(), StandardCharsets.ISO_8859_1);
        String ts = prefix.substring(0, prefix.indexOf('.'));
        assertTrue(isAsciiDigits(ts, TolokaSignatureHeader.MAX_TIMESTAMP_DIGITS), "ts is not 1-15 digits");
        assertEquals(Long.parseLong(ts), header.timestampMillis());
        assertEquals(ts + "." + v + ".", prefix);

        TolokaSignatureHeader canonical;
        try {
            canonical = TolokaSignatureHeader.parse("{v=" + v + ", ts=" + ts + ", sign=" + hex + "}");
        } catch (VerificationException e) {
            throw new AssertionError("the canonical form of an accepted header is refused: " + e.reason(), e);
        }
        assertEquals(v, canonical.keyVersion());
        assertArrayEquals(sign, canonical.signature());
        assertArrayEquals(header.signedPrefix(), canonical.signedPrefix());
        return header;
    }

    // ---- '1': TolokaVerifier.verify / verifyIgnoringTimestamp; input = header '\n' body ------------

    private static void tolokaVerifier(byte[] input) {
        int newline = indexOf(input, (byte) '\n');
        String headerValue = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
        byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);

        // As received: refused with VerificationException, or accepted only if genuinely signed.
        TolokaSignatureHeader parsed = checkHeader(headerValue);
        boolean ignoringTimestamp = tolokaAccepts(() -> TOLOKA.verifyIgnoringTimestamp(headerValue, body));
        boolean withTimestamp = tolokaAccepts(() -> TOLOKA.verify(headerValue, body));
        if (ignoringTimestamp) {
            assertNotNull(parsed);
            assertArrayEquals(tolokaMac(parsed.signedPrefix(), body), parsed.signature(), "accepted a forgery");
            assertEquals(inWindow(parsed.timestampMillis()), withTimestamp);
        } else {
            assertFalse(withTimestamp, "verify accepted what verifyIgnoringTimestamp refused");
        }

        // The same layout with the genuine signature put in: must verify; any change must not.
        if (parsed != null && parsed.keyVersion().equals(Vectors.TOLOKA_KEY_VERSION)) {
            Matcher sign = SIGN_VALUE.matcher(headerValue);
            assertTrue(sign.find(), "accepted header without a sign field");
            String genuineHex = HmacSha256.toHex(tolokaMac(parsed.signedPrefix(), body));
            String genuine = replaceGroup(headerValue, sign, genuineHex);
            expectTolokaAccepted(genuine, body, parsed.timestampMillis());
            int at = Math.floorMod(Arrays.hashCode(input), HmacSha256.HEX_LENGTH);
            String forged = replaceGroup(headerValue, sign, flipHexDigit(genuineHex, at));
            expectTolokaRefused(forged, body);
            expectTolokaRefused(genuine, mutate(body, input));
        }

        // The signer's own header for this body, at a timestamp taken from the input.
        long ts = parsed != null ? parsed.timestampMillis() : NOW_MILLIS + Math.floorMod(body.length * 7919L, 600_001L) - 300_000;
        String signed = TOLOKA_SIGNER.signatureHeader(body, ts);
        expectTolokaAccepted(signed, body, ts);
        expectTolokaRefused(signed, mutate(body, input));
    }

    private static void expectTolokaAccepted(String headerValue, byte[] body, long ts) {
        try {
            TOLOKA.verifyIgnoringTimestamp(headerValue, body);
        } catch (VerificationException e) {
            fail("a genuine Toloka signature is refused: " + e.reason());
        }
        try {
            TOLOKA.verify(headerValue, body);
            assertTrue(inWindow(ts), "accepted a timestamp outside the window");
        } catch (VerificationException e) {
            assertEquals(inWindow(ts) ? null : TIMESTAMP_OUT_OF_WINDOW, e.reason());
        }
    }

    private static void expectTolokaRefused(String headerValue, byte[] body) {
        for (boolean window : new boolean[] {false, true}) {
            try {
                if (window) {
                    TOLOKA.verify(headerValue, body);
                } else {
                    TOLOKA.verifyIgnoringTimestamp(headerValue, body);
                }
                fail("a changed Toloka signature or body is accepted");
            } catch (VerificationException e) {
                assertEquals(SIGNATURE_MISMATCH, e.reason());
            }
        }
    }

    private static boolean tolokaAccepts(Verification verification) {
        try {
            verification.run();
            return true;
        } catch (VerificationException expected) {
            assertNotNull(expected.reason());
            return false;
        }
    }

    private static byte[] tolokaMac(byte[] prefix, byte[] body) {
        return hmac(TOLOKA_SECRET, prefix, body);
    }

    // ---- '2': SkyvernVerifier.verify / verifyIgnoringTimestamp; input = sig '\n' ts '\n' body ------

    private static void skyvernVerifier(byte[] input) {
        int first = indexOf(input, (byte) '\n');
        int second = first < 0 ? -1 : indexOf(input, (byte) '\n', first + 1);
        String signature = new String(input, 0, first < 0 ? input.length : first, StandardCharsets.UTF_8);
        String timestamp = first < 0 ? null
                : new String(input, first + 1, (second < 0 ? input.length : second) - first - 1, StandardCharsets.UTF_8);
        byte[] body = second < 0 ? new byte[0] : Arrays.copyOfRange(input, second + 1, input.length);

        // As received.
        boolean ignoring = skyvernAccepts(() -> SKYVERN.verifyIgnoringTimestamp(signature, body));
        boolean noWindow = skyvernAccepts(() -> SKYVERN_NO_WINDOW.verify(signature, timestamp, body));
        boolean window = skyvernAccepts(() -> SKYVERN.verify(signature, timestamp, body));
        assertEquals(ignoring, noWindow, "a window of zero must only skip the timestamp");
        if (ignoring) {
            byte[] presented = HmacSha256.parseHex64(signature.strip());
            assertNotNull(presented);
            boolean genuine = false;
            for (byte[] key : SKYVERN_KEYS) {
                genuine |= MessageDigest.isEqual(hmac(key, body), presented);
            }
            assertTrue(genuine, "accepted a forgery");
            assertEquals(skyvernTimestampOk(timestamp), window);
        } else {
            assertFalse(window, "verify accepted what verifyIgnoringTimestamp refused");
        }

        // The genuine signature of this body under either key, in the input's case and spacing.
        byte[] key = SKYVERN_KEYS.get(Math.floorMod(Arrays.hashCode(input), SKYVERN_KEYS.size()));
        String genuineHex = new SkyvernSigner(key).signature(body);
        assertEquals(HmacSha256.toHex(hmac(key, body)), genuineHex);
        String genuine = dressLike(signature, genuineHex);
        expectSkyvernAccepted(genuine, timestamp, body);
        expectSkyvernAccepted(genuine, Long.toString(NOW_MILLIS / 1000), body);
        int at = Math.floorMod(Arrays.hashCode(body), HmacSha256.HEX_LENGTH);
        expectSkyvernRefused(dressLike(signature, flipHexDigit(genuineHex, at)), body);
        expectSkyvernRefused(genuine, mutate(body, input));
    }

    private static void expectSkyvernAccepted(String signature, String timestamp, byte[] body) {
        try {
            SKYVERN.verifyIgnoringTimestamp(signature, body);
            SKYVERN_NO_WINDOW.verify(signature, timestamp, body);
        } catch (VerificationException e) {
            fail("a genuine Skyvern signature is refused: " + e.reason());
        }
        try {
            SKYVERN.verify(signature, timestamp, body);
            assertTrue(skyvernTimestampOk(timestamp), "accepted a bad or out-of-window timestamp");
        } catch (VerificationException e) {
            boolean malformed = timestamp != null && !timestamp.isBlank()
                    && !TIMESTAMP_DIGITS.matcher(timestamp.strip()).matches();
            assertEquals(malformed ? MALFORMED_SIGNATURE
                    : skyvernTimestampOk(timestamp) ? null : TIMESTAMP_OUT_OF_WINDOW, e.reason());
        }
    }

    private static void expectSkyvernRefused(String signature, byte[] body) {
        String timestamp = Long.toString(NOW_MILLIS / 1000);
        for (Verification verification : new Verification[] {
                () -> SKYVERN.verifyIgnoringTimestamp(signature, body),
                () -> SKYVERN.verify(signature, timestamp, body),
                () -> SKYVERN_NO_WINDOW.verify(signature, null, body)}) {
            try {
                verification.run();
                fail("a changed Skyvern signature or body is accepted");
            } catch (VerificationException e) {
                assertEquals(SIGNATURE_MISMATCH, e.reason());
            }
        }
    }

    private static boolean skyvernAccepts(Verification verification) {
        return tolokaAccepts(verification);
    }

    /** Whether a Skyvern timestamp header is present, 1-15 ASCII digits and inside the window. */
    private static boolean skyvernTimestampOk(String timestamp) {
        if (timestamp == null || timestamp.isBlank() || !TIMESTAMP_DIGITS.matcher(timestamp.strip()).matches()) {
            return false;
        }
        return inWindow(Long.parseLong(timestamp.strip()) * 1000);
    }

    /** {@code hex} with the letter case and surrounding whitespace of {@code like}, if that is 64 hex. */
    private static String dressLike(String like, String hex) {
        String core = like.strip();
        if (HmacSha256.parseHex64(core) == null) {
            return hex;
        }
        StringBuilder out = new StringBuilder(like.substring(0, like.indexOf(core)));
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            out.append(Character.isUpperCase(core.charAt(i)) ? Character.toUpperCase(c) : c);
        }
        return out.append(like.substring(like.indexOf(core) + core.length())).toString();
    }

    // ---- '3': TotpKey.parse: only IllegalArgumentException ----------------------------------------

    private static void totpKey(byte[] input) {
        String value = new String(input, StandardCharsets.UTF_8);
        TotpKey key;
        try {
            key = TotpKey.parse(value);
        } catch (IllegalArgumentException expected) {
            assertNotNull(expected.getMessage());
            return;
        }
        assertTrue(key.secret().length > 0, "accepted an empty secret");
        assertTrue(key.digits() >= TotpKey.MIN_DIGITS && key.digits() <= TotpKey.MAX_DIGITS);
        assertTrue(key.periodSeconds() > 0);
    }

    // ---- '4': TolokaBatch.parse: only MalformedBatchException -------------------------------------

    private static void tolokaBatch(byte[] body) {
        List<TolokaEvent> events;
        try {
            events = TolokaBatch.parse(body);
        } catch (MalformedBatchException expected) {
            assertNotNull(expected.getMessage());
            return;
        }
        assertTrue(isUtf8(body), "accepted a body that is not UTF-8");
        for (TolokaEvent event : events) {
            // Each event is sliced from the body: on its own it is a JSON object with the same type.
            JsonNode node;
            try {
                node = JSON.readTree(event.json());
            } catch (IOException e) {
                throw new AssertionError("an event's slice is not JSON", e);
            }
            assertTrue(node.isObject());
            assertEquals(event.type(), node.get("type").textValue());
            assertTrue(indexOf(body, event.json()) >= 0, "an event is not a slice of the body");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Verification {
        void run() throws VerificationException;
    }

    private static boolean inWindow(long timestampMillis) {
        return Math.abs(NOW_MILLIS - timestampMillis) <= TOLERANCE.toMillis();
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A different body: one bit flipped where the input says, or a byte appended to an empty one. */
    private static byte[] mutate(byte[] body, byte[] input) {
        if (body.length == 0) {
            return new byte[] {input.length > 0 ? input[0] : 0};
        }
        byte[] changed = body.clone();
        int at = Math.floorMod(Arrays.hashCode(input), body.length);
        changed[at] ^= (byte) (1 << Math.floorMod(input.length, 8));
        return changed;
    }

    /** {@code hex} with the digit at {@code at} replaced by another hex digit. */
    private static String flipHexDigit(String hex, int at) {
        char c = hex.charAt(at);
        char other = c == '0' ? '1' : '0';
        return hex.substring(0, at) + other + hex.substring(at + 1);
    }

    private static String replaceGroup(String s, Matcher m, String replacement) {
        return s.substring(0, m.start(1)) + replacement + s.substring(m.end(1));
    }

    /** Well-formed UTF-8, by the JDK's decoder set to report rather than replace. */
    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isAsciiDigits(String s, int maxDigits) {
        return !s.isEmpty() && s.length() <= maxDigits && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static int indexOf(byte[] bytes, byte b) {
        return indexOf(bytes, b, 0);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
