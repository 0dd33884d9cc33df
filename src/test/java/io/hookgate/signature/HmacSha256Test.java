package io.hookgate.signature;

import static io.hookgate.signature.Vectors.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

    /** RFC 4231, test case 2. */
    private static final String RFC4231_CASE2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    @Test
    void shouldReproduceRfc4231Vector() {
        HmacSha256 mac = new HmacSha256(utf8("Jefe"));

        assertEquals(RFC4231_CASE2, HmacSha256.toHex(mac.digest(utf8("what do ya want for nothing?"))));
    }

    @Test
    void shouldDigestPrefixAndMessageAsTheirConcatenation() {
        HmacSha256 mac = new HmacSha256(utf8("Jefe"));

        assertEquals(RFC4231_CASE2, HmacSha256.toHex(mac.digest(utf8("what do "), utf8("ya want for nothing?"))));
        assertEquals(RFC4231_CASE2, HmacSha256.toHex(mac.digest(utf8(""), utf8("what do ya want for nothing?"))));
        assertEquals(RFC4231_CASE2, HmacSha256.toHex(mac.digest(utf8("what do ya want for nothing?"), utf8(""))));
    }

    @Test
    void shouldMatchPrefixAndMessageAsTheirConcatenation() {
        HmacSha256 mac = new HmacSha256(utf8("Jefe"));
        byte[] expected = HmacSha256.parseHex64(RFC4231_CASE2);

        assertTrue(mac.matches(expected, utf8("what do "), utf8("ya want for nothing?")));
        assertFalse(mac.matches(expected, utf8("what do"), utf8("ya want for nothing?")));
    }

    @Test
    void shouldMatchOnlyTheRightDigest() {
        HmacSha256 mac = new HmacSha256(utf8("Jefe"));
        byte[] expected = HmacSha256.parseHex64(RFC4231_CASE2);
        byte[] wrong = expected.clone();
        wrong[31] ^= 1;
        byte[] wrongFirst = expected.clone();
        wrongFirst[0] ^= (byte) 0x80;

        assertTrue(mac.matches(expected, utf8("what do ya want for nothing?")));
        assertFalse(mac.matches(wrong, utf8("what do ya want for nothing?")));
        assertFalse(mac.matches(wrongFirst, utf8("what do ya want for nothing?")));
        assertFalse(mac.matches(new byte[31], utf8("what do ya want for nothing?")));
    }

    /** RFC 4231, test case 6: a 131-byte key, longer than a SHA-256 block, is hashed first. */
    @Test
    void shouldReproduceRfc4231VectorWithAKeyLongerThanABlock() {
        byte[] key = new byte[131];
        Arrays.fill(key, (byte) 0xaa);
        HmacSha256 mac = new HmacSha256(key);

        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                HmacSha256.toHex(mac.digest(utf8("Test Using Larger Than Block-Size Key - Hash Key First"))));
    }

    /** The precomputed keyed states against the JDK's own HMAC, for keys around the block size and messages of any length. */
    @Test
    void shouldAgreeWithJavaxCryptoMac() throws Exception {
        Random random = new Random(4231);
        for (int keyLength : new int[] {1, 20, 32, 63, 64, 65, 128, 200}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            HmacSha256 mac = new HmacSha256(key);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            for (int messageLength : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 120, 300, 3000}) {
                byte[] message = new byte[messageLength];
                random.nextBytes(message);
                byte[] expected = jdk.doFinal(message);
                int split = random.nextInt(messageLength + 1);

                assertArrayEquals(expected, mac.digest(message), "key " + keyLength + ", message " + messageLength);
                assertArrayEquals(expected, mac.digest(Arrays.copyOf(message, split),
                        Arrays.copyOfRange(message, split, messageLength)));
                assertTrue(mac.matches(expected, message));
            }
        }
    }

    @Test
    void shouldCompareEveryByteWhateverTheLength() {
        for (int length = 0; length <= 40; length++) {
            byte[] a = new byte[length];
            for (int i = 0; i < length; i++) {
                a[i] = (byte) (i * 37);
            }
            assertTrue(HmacSha256.equalInConstantTime(a, a.clone()));
            for (int at = 0; at < length; at++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] b = a.clone();
                    b[at] ^= (byte) (1 << bit);
                    assertFalse(HmacSha256.equalInConstantTime(a, b), "length " + length + ", byte " + at + ", bit " + bit);
                }
            }
            assertFalse(HmacSha256.equalInConstantTime(a, Arrays.copyOf(a, length + 1)));
        }
    }

    @Test
    void shouldCopyTheKey() {
        byte[] key = utf8("Jefe");
        HmacSha256 mac = new HmacSha256(key);
        key[0] = 0;

        assertEquals(RFC4231_CASE2, HmacSha256.toHex(mac.digest(utf8("what do ya want for nothing?"))));
    }

    @Test
    void shouldRejectEmptyKey() {
        assertThrows(IllegalArgumentException.class, () -> new HmacSha256(new byte[0]));
    }

    @Test
    void shouldPadHexWithLeadingZeros() {
        assertEquals("000fa0ff", HmacSha256.toHex(new byte[] {0x00, 0x0f, (byte) 0xa0, (byte) 0xff}));
        assertEquals(64, HmacSha256.toHex(new byte[32]).length());
    }

    @Test
    void shouldParseHexInEitherCase() {
        byte[] lower = HmacSha256.parseHex64(RFC4231_CASE2);

        assertArrayEquals(lower, HmacSha256.parseHex64(RFC4231_CASE2.toUpperCase()));
        assertEquals(RFC4231_CASE2, HmacSha256.toHex(lower));
    }

    @Test
    void shouldRejectHexThatIsNotExactly64HexDigits() {
        assertNull(HmacSha256.parseHex64(null));
        assertNull(HmacSha256.parseHex64(""));
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2.substring(1)));
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2 + "0"));
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2.substring(1) + "g"));
        assertNull(HmacSha256.parseHex64(" " + RFC4231_CASE2.substring(1)));
        // full-width digit: Character.digit accepts it, a hex header must not
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2.substring(1) + "\uFF10"));
        // beyond Latin-1 whose low byte is a hex digit ('a'): decoded as bytes, it must not pass as 'a'
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2.substring(1) + "\u0161"));
        // Latin-1 beyond ASCII: a negative byte, never a table index
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2.substring(1) + "\u00e1"));
        // 64 chars holding surrogate pairs: fewer code points than chars (found by fuzzing: it read past
        // the end of its bytes)
        assertNull(HmacSha256.parseHex64(RFC4231_CASE2.substring(16) + "\ud83d\ude00".repeat(8)));
        assertNull(HmacSha256.parseHex64("\ud83d\ude00".repeat(32)));
    }

    /** Every byte value at every position and offset, against a plain table of the ASCII hex digits. */
    @Test
    void shouldDecodeHexLikeATableForEveryByteAtEveryPosition() {
        byte[] digits = "0123456789abcdefABCDEF".getBytes(StandardCharsets.US_ASCII);
        int[] table = new int[256];
        Arrays.fill(table, -1);
        for (byte d : digits) {
            table[d] = Character.digit(d, 16);
        }
        byte[] valid = RFC4231_CASE2.toUpperCase().getBytes(StandardCharsets.US_ASCII);
        for (int offset : new int[] {0, 1, 7}) {
            byte[] s = new byte[offset + HmacSha256.HEX_LENGTH + 3];
            System.arraycopy(valid, 0, s, offset, valid.length);
            for (int at = 0; at < HmacSha256.HEX_LENGTH; at++) {
                for (int c = 0; c < 256; c++) {
                    s[offset + at] = (byte) c;
                    byte[] decoded = HmacSha256.parseHex64(s, offset, offset + HmacSha256.HEX_LENGTH);
                    if (table[c] < 0) {
                        assertNull(decoded, "byte " + c + " at " + at);
                        continue;
                    }
                    byte[] expected = new byte[HmacSha256.HEX_LENGTH / 2];
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] = (byte) (table[s[offset + 2 * i] & 0xff] << 4 | table[s[offset + 2 * i + 1] & 0xff]);
                    }
                    assertArrayEquals(expected, decoded, "byte " + c + " at " + at);
                }
                s[offset + at] = valid[at];
            }
        }
    }

    @Test
    void shouldGiveTheSameDigestOnManyThreadsAtOnce() throws Exception {
        HmacSha256 mac = new HmacSha256(utf8("Jefe"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!RFC4231_CASE2.equals(HmacSha256.toHex(
                                mac.digest(utf8("what do ya "), utf8("want for nothing?"))))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
