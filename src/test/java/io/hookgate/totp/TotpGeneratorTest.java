package io.hookgate.totp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TotpGeneratorTest {

    /** RFC 6238 Appendix B seeds, as ASCII. */
    private static final String SHA1_SEED = "12345678901234567890";
    private static final String SHA256_SEED = "12345678901234567890123456789012";
    private static final String SHA512_SEED = "1234567890123456789012345678901234567890123456789012345678901234";

    /** The same seeds in Base32, as a user would paste them; {@link #shouldDecodeRfcSeedsFromBase32} checks them. */
    private static final String SHA1_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String SHA256_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====";
    private static final String SHA512_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA=";

    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @EnumSource(TotpAlgorithm.class)
    void shouldDecodeRfcSeedsFromBase32(TotpAlgorithm algorithm) {
        assertArrayEquals(seed(algorithm).getBytes(US_ASCII), rfcKey(algorithm).secret());
    }

    /** RFC 6238 Appendix B, every row. */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
        "SHA1,   59,          94287082",
        "SHA256, 59,          46119246",
        "SHA512, 59,          90693936",
        "SHA1,   1111111109,  07081804",
        "SHA256, 1111111109,  68084774",
        "SHA512, 1111111109,  25091201",
        "SHA1,   1111111111,  14050471",
        "SHA256, 1111111111,  67062674",
        "SHA512, 1111111111,  99943326",
        "SHA1,   1234567890,  89005924",
        "SHA256, 1234567890,  91819424",
        "SHA512, 1234567890,  93441116",
        "SHA1,   2000000000,  69279037",
        "SHA256, 2000000000,  90698825",
        "SHA512, 2000000000,  38618901",
        "SHA1,   20000000000, 65353130",
        "SHA256, 20000000000, 77737706",
        "SHA512, 20000000000, 47863826",
    })
    void shouldMatchRfc6238TestVectors(TotpAlgorithm algorithm, long unixSeconds, String expected) {
        TotpGenerator generator = new TotpGenerator(rfcKey(algorithm), EPOCH);

        assertEquals(expected, generator.codeAt(Instant.ofEpochSecond(unixSeconds)));
    }

    @Test
    void shouldUseClockForCurrentCode() {
        Clock at59 = Clock.fixed(Instant.ofEpochSecond(59), ZoneOffset.UTC);

        assertEquals("94287082", new TotpGenerator(rfcKey(TotpAlgorithm.SHA1), at59).currentCode());
    }

    /** RFC 4226 Appendix D: HOTP of counters 0 to 9, reached as TOTP at 30 * counter seconds. */
    @ParameterizedTest(name = "counter {0}")
    @CsvSource({
        "0, 755224", "1, 287082", "2, 359152", "3, 969429", "4, 338314",
        "5, 254676", "6, 287922", "7, 162583", "8, 399871", "9, 520489",
    })
    void shouldProduceSixDigitCodesByDefault(long counter, String expected) {
        TotpGenerator generator = new TotpGenerator(TotpKey.parse(SHA1_SEED_BASE32), EPOCH);

        assertEquals(expected, generator.codeAt(Instant.ofEpochSecond(30 * counter)));
        assertEquals(expected, generator.codeAt(Instant.ofEpochSecond(30 * counter + 29)));
    }

    /** RFC 4226 Appendix D "truncated" decimals, which are the 10-digit codes; counter 2 needs a leading zero. */
    @ParameterizedTest(name = "counter {0}")
    @CsvSource({"0, 1284755224", "1, 1094287082", "2, 0137359152", "7, 0082162583"})
    void shouldProduceTenDigitCodesWithLeadingZeros(long counter, String expected) {
        TotpGenerator generator = new TotpGenerator(
                TotpKey.parse("otpauth://totp/hookgate?secret=" + SHA1_SEED_BASE32 + "&digits=10"), EPOCH);

        assertEquals(expected, generator.codeAt(Instant.ofEpochSecond(30 * counter)));
    }

    @Test
    void shouldChangeCodeWithPeriod() {
        TotpGenerator generator = new TotpGenerator(
                TotpKey.parse("otpauth://totp/hookgate?secret=" + SHA1_SEED_BASE32 + "&period=60"), EPOCH);

        assertEquals("287082", generator.codeAt(Instant.ofEpochSecond(119)));
        assertEquals("359152", generator.codeAt(Instant.ofEpochSecond(120)));
    }

    @Test
    void shouldGiveDifferentCodesInNeighbouringPeriods() {
        TotpGenerator generator = new TotpGenerator(rfcKey(TotpAlgorithm.SHA1), EPOCH);

        assertNotEquals(generator.codeAt(Instant.ofEpochSecond(1111111109)),
                generator.codeAt(Instant.ofEpochSecond(1111111111)));
    }

    @Test
    void shouldRejectTimeBeforeEpoch() {
        TotpGenerator generator = new TotpGenerator(rfcKey(TotpAlgorithm.SHA1), EPOCH);

        assertThrows(IllegalArgumentException.class, () -> generator.codeAt(Instant.ofEpochSecond(-1)));
    }

    @Test
    void shouldGiveSameCodesFromManyThreads() throws Exception {
        TotpGenerator generator = new TotpGenerator(rfcKey(TotpAlgorithm.SHA256), EPOCH);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> IntStream.range(0, 200)
                        .mapToObj(i -> generator.codeAt(Instant.ofEpochSecond(1234567890)))
                        .distinct()
                        .toList()));
            }
            for (Future<List<String>> result : results) {
                assertEquals(List.of("91819424"), result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNotRevealSecretInToString() {
        String text = new TotpGenerator(rfcKey(TotpAlgorithm.SHA1), EPOCH).toString();

        assertFalse(text.contains("GEZDGNBV"), text);
        assertFalse(text.contains(SHA1_SEED), text);
    }

    /** The RFC key for {@code algorithm}, read the way a user configures it: an otpauth URI. */
    private static TotpKey rfcKey(TotpAlgorithm algorithm) {
        return TotpKey.parse("otpauth://totp/RFC%206238:test%40example.com?secret=" + base32Seed(algorithm)
                + "&algorithm=" + algorithm + "&digits=8&period=30&issuer=RFC%206238");
    }

    private static String seed(TotpAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA1 -> SHA1_SEED;
            case SHA256 -> SHA256_SEED;
            case SHA512 -> SHA512_SEED;
        };
    }

    private static String base32Seed(TotpAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA1 -> SHA1_SEED_BASE32;
            case SHA256 -> SHA256_SEED_BASE32;
            case SHA512 -> SHA512_SEED_BASE32;
        };
    }
}
