package io.hookgate.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Utf8#firstInvalid} against the JDK's own UTF-8 decoder, which refuses every ill-formed sequence. */
class Utf8Test {

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
            "'', -1",
            "7b2261223a317d, -1",              // {"a":1}
            "c3a9, -1",                        // U+00E9
            "e282ac, -1",                      // U+20AC
            "f09f9880, -1",                    // U+1F600
            "f48fbfbf, -1",                    // U+10FFFF, the last code point
            "ff, 0",                           // never in UTF-8
            "4142434445464748ff, 8",           // after a run of eight ASCII bytes
            "80, 0",                           // a continuation byte with no lead
            "c0af, 0",                         // overlong '/'
            "c1bf, 0",                         // overlong
            "e080af, 0",                       // overlong '/' in three bytes
            "f08080af, 0",                     // overlong '/' in four bytes
            "eda080, 0",                       // U+D800, a surrogate
            "edbfbf, 0",                       // U+DFFF, a surrogate
            "f4908080, 0",                     // U+110000, beyond Unicode
            "f5808080, 0",                     // a lead byte beyond Unicode
            "41c3, 1",                         // cut short at the end
            "41e282, 1",                       // cut short at the end
            "e24182, 0",                       // an ASCII byte where a continuation belongs
            "706f6f6cff5f6964, 4",             // pool\xFF_id, the name that passed Jackson
    })
    void shouldFindTheFirstIllFormedSequence(String hex, int expected) {
        byte[] bytes = HexFormat.of().parseHex(hex);

        assertEquals(expected, Utf8.firstInvalid(bytes));
        assertEquals(expected, jdk(bytes));
    }

    @Test
    void shouldAgreeWithTheJdkOnEverySequenceOfOneToThreeBytes() {
        byte[] bytes = new byte[3];
        for (int i = 0; i < 1 << 24; i++) {
            bytes[0] = (byte) (i >> 16);
            bytes[1] = (byte) (i >> 8);
            bytes[2] = (byte) i;
            for (int length = 1; length <= 3; length++) {
                byte[] sequence = Arrays.copyOf(bytes, length);
                // Only the 3-byte run covers every case; the shorter ones repeat, so check them once
                if (length == 3 || (length == 2 && (i & 0xFF) == 0) || (length == 1 && (i & 0xFFFF) == 0)) {
                    assertAgrees(sequence);
                }
            }
        }
    }

    @Test
    void shouldAgreeWithTheJdkOnEveryFourByteSequenceFromALeadByteOfF0ToF4() {
        byte[] bytes = new byte[4];
        for (int lead = 0xF0; lead <= 0xF4; lead++) {
            for (int rest = 0; rest < 1 << 24; rest += 7) {  // a stride prime to 256: every byte value at each place
                bytes[0] = (byte) lead;
                bytes[1] = (byte) (rest >> 16);
                bytes[2] = (byte) (rest >> 8);
                bytes[3] = (byte) rest;
                assertAgrees(bytes);
            }
        }
    }

    @Test
    void shouldAgreeWithTheJdkOnMostlyAsciiTextWithOneOddByteAnywhere() {
        SplittableRandom random = new SplittableRandom(20261206);
        String text = "{\"type\":\"ASSIGNMENT_APPROVED\",\"note\":\"caf\u00e9 \u20ac \ud83d\ude00\"}";
        byte[] valid = text.getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = valid.clone();
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            assertAgrees(Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)));
        }
    }

    private static void assertAgrees(byte[] bytes) {
        assertEquals(jdk(bytes), Utf8.firstInvalid(bytes), () -> HexFormat.of().formatHex(bytes));
    }

    /** Where the JDK's decoder, set to report rather than replace, stops at ill-formed input; -1 if nowhere. */
    private static int jdk(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length * 2 + 2), true);
        if (result.isError()) {
            return in.position();
        }
        return decoder.flush(CharBuffer.allocate(2)).isError() ? in.position() : -1;
    }
}
