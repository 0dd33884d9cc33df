package io.hookgate.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeenIdsTest {

    @Test
    void shouldRecognizeAnIdSeenWithinTheWindow() {
        SeenIds ids = new SeenIds(1_000, 10);

        assertTrue(ids.firstTime("toloka:a", 5_000));
        assertFalse(ids.firstTime("toloka:a", 5_999));
        assertTrue(ids.firstTime("toloka:b", 5_999));
    }

    @Test
    void shouldForgetAnIdOlderThanTheWindow() {
        SeenIds ids = new SeenIds(1_000, 10);
        ids.firstTime("toloka:a", 5_000);

        assertTrue(ids.firstTime("toloka:a", 6_001), "seen 1,001 ms ago: outside the window");
        assertEquals(1, ids.size());
    }

    @Test
    void shouldForgetTheOldestIdBeyondTheLimit() {
        SeenIds ids = new SeenIds(60_000, 2);
        ids.firstTime("a", 1);
        ids.firstTime("b", 2);
        ids.firstTime("c", 3);

        assertEquals(2, ids.size());
        assertFalse(ids.firstTime("c", 4));
        assertTrue(ids.firstTime("a", 5), "the oldest was dropped at the limit");
    }

    @Test
    void shouldRefuseAnEmptyWindowOrLimit() {
        assertThrows(IllegalArgumentException.class, () -> new SeenIds(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SeenIds(1, 0));
    }

    @Test
    void shouldRefuseALimitItsIndexCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new SeenIds(1, SeenIds.MAX_IDS + 1));
    }

    @Test
    void shouldForgetTheOldestBeyondTheLimitAfterTheRingWrapsAround() {
        SeenIds ids = new SeenIds(60_000, 3);
        for (int i = 0; i < 10; i++) { // seven evictions: the oldest slot goes round the ring twice
            assertTrue(ids.firstTime("id-" + i, i));
        }

        assertEquals(3, ids.size());
        assertFalse(ids.firstTime("id-7", 10));
        assertFalse(ids.firstTime("id-8", 10));
        assertFalse(ids.firstTime("id-9", 10));
        assertTrue(ids.firstTime("id-6", 11), "forgotten at the limit");
        assertEquals(3, ids.size());
        assertTrue(ids.firstTime("id-7", 12), "the oldest went when id-6 came back");
    }

    @Test
    void shouldForgetIdsOutsideTheWindowAfterTheRingWrapsAround() {
        SeenIds ids = new SeenIds(100, 4);
        for (int i = 0; i < 4; i++) {
            ids.firstTime("first-" + i, 1_000 + i);
        }
        ids.firstTime("second-0", 1_102); // the window drops first-0 and first-1: the ring's first slots
        ids.firstTime("second-1", 1_102); // take the new ones, never more than the limit

        assertEquals(4, ids.size());
        assertFalse(ids.firstTime("first-3", 1_103), "1,003: 100 ms ago, still inside the window");
        assertEquals(3, ids.size(), "first-2 forgotten");
        assertTrue(ids.firstTime("first-2", 1_103), "1,002: 101 ms ago, outside");
        assertFalse(ids.firstTime("second-0", 1_202), "1,102: 100 ms ago");
        assertTrue(ids.firstTime("first-3", 1_203), "1,003: forgotten by now");
        assertEquals(2, ids.size(), "the second ones forgotten, first-2 (1,103) and first-3 (1,203) kept");
        assertFalse(ids.firstTime("first-2", 1_203));
        assertTrue(ids.firstTime("first-2", 1_204));
    }

    @Test
    void shouldGrowByDoublingUpToTheLimitAndKeepEveryId() {
        SeenIds ids = new SeenIds(60_000, 100);
        assertEquals(SeenIds.INITIAL_CAPACITY, ids.capacity(), "nothing allocated for the limit up front");
        List<Integer> capacities = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.firstTime("id-" + i, i);
            if (capacities.isEmpty() || capacities.get(capacities.size() - 1) != ids.capacity()) {
                capacities.add(ids.capacity());
            }
        }

        assertEquals(List.of(16, 32, 64, 100), capacities);
        for (int i = 0; i < 100; i++) {
            assertFalse(ids.firstTime("id-" + i, 100), "id-" + i + " survived the growth");
        }
        assertTrue(ids.firstTime("id-100", 101));
        assertEquals(100, ids.capacity());
        assertTrue(ids.firstTime("id-0", 102), "the oldest went at the limit");
    }

    @Test
    void shouldKeepTheOrderWhenGrowingAWrappedRing() {
        SeenIds ids = new SeenIds(10, 1_000);
        for (int i = 0; i < 16; i++) {
            ids.firstTime("old-" + i, i);
        }
        for (int i = 0; i < 10; i++) { // each forgets one old id: the ring's oldest slot is now 10
            ids.firstTime("new-" + i, 11 + i);
        }
        assertEquals(16, ids.capacity());
        ids.firstTime("grows", 20);

        assertEquals(32, ids.capacity());
        assertEquals(17, ids.size());
        assertFalse(ids.firstTime("new-0", 21), "only old-10 (at 10) forgotten");
        assertEquals(16, ids.size());
        assertTrue(ids.firstTime("old-15", 26), "old-11 to old-15, then new-0 to new-4 (at 11 to 15) forgotten");
        assertEquals(7, ids.size());
        assertFalse(ids.firstTime("new-5", 26), "at 16, still inside");
        assertTrue(ids.firstTime("new-5", 27));
    }

    @Test
    void shouldFindEveryIdAfterManyDeletionsFromOneCollidingRun() {
        // Every id has index position 5: one run of linear probing, from which the limit and the window
        // delete at its start, middle or end (a new id takes the first free position, wherever that is).
        SeenIds oneRun = new SeenIds(5, 8, (id, into) -> {
            into[0] = 5;
            into[1] = Long.parseLong(id.substring("toloka:".length()));
        });

        Outcome outcome = compareWithTheReference(oneRun, new ReferenceSeenIds(5, 8), 20, 46);

        assertTrue(outcome.atTheLimit() > 10_000 && outcome.atTheLimit() < 90_000, "both bound: " + outcome);
    }

    @Test
    void shouldFindEveryIdAfterDeletionsFromRunsThatWrapAroundTheIndex() {
        // A ring of 4 has an index of 8; homes 6 and 7 make runs wrap to positions 0, 1...
        SeenIds ids = new SeenIds(60_000, 4, (id, into) -> {
            long n = Long.parseLong(id);
            into[0] = 4 + n % 4; // homes 4, 5, 6, 7
            into[1] = n;
        });
        ReferenceSeenIds reference = new ReferenceSeenIds(60_000, 4);
        Random random = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            String id = Integer.toString(random.nextInt(12));
            assertEquals(reference.firstTime(id, step), ids.firstTime(id, step), "step " + step + ", id " + id);
            assertEquals(reference.size(), ids.size(), "step " + step);
        }
    }

    @Test
    void shouldAnswerAsTheLinkedHashMapItReplacesWhenTheLimitBinds() {
        Outcome outcome = compareWithTheReference(new SeenIds(1_000_000, 1_000),
                new ReferenceSeenIds(1_000_000, 1_000), 3_000, 42);

        assertTrue(outcome.atTheLimit() > 90_000, "at the limit most of the time: " + outcome);
    }

    @Test
    void shouldAnswerAsTheLinkedHashMapItReplacesWhenTheWindowBinds() {
        Outcome outcome = compareWithTheReference(new SeenIds(2_000, 10_000),
                new ReferenceSeenIds(2_000, 10_000), 3_000, 43);

        assertEquals(0, outcome.atTheLimit(), "the window alone forgets: " + outcome);
    }

    @Test
    void shouldAnswerAsTheLinkedHashMapItReplacesWithBothBoundsAndCollidingIds() {
        SeenIds colliding = new SeenIds(2_000, 300, (id, into) -> { // seven index positions for 3,000 ids
            long n = Long.parseLong(id.substring("toloka:".length()));
            into[0] = n % 7;
            into[1] = n;
        });
        Outcome outcome = compareWithTheReference(colliding, new ReferenceSeenIds(2_000, 300), 3_000, 44);

        assertTrue(outcome.atTheLimit() > 10_000 && outcome.atTheLimit() < 90_000, "both bound: " + outcome);
    }

    @Test
    void shouldAnswerAsTheLinkedHashMapItReplacesWithALimitOfOne() {
        compareWithTheReference(new SeenIds(50, 1), new ReferenceSeenIds(50, 1), 3, 45);
    }

    /** How often each answer came, and how many calls left the reference at its limit. */
    private record Outcome(int published, int duplicates, int atTheLimit) {
    }

    /**
     * 10<sup>5</sup> calls with ids drawn from a pool (duplicates, forgotten ones coming back) at times
     * mostly rising by 0 or 1 ms, some steps back (records from several producers), rare jumps of seconds.
     */
    private static Outcome compareWithTheReference(SeenIds ids, ReferenceSeenIds reference, int pool, long seed) {
        Random random = new Random(seed);
        long time = 0;
        int published = 0;
        int atTheLimit = 0;
        for (int step = 0; step < 100_000; step++) {
            int move = random.nextInt(1_000);
            time += move < 900 ? random.nextInt(2) : move < 999 ? -random.nextInt(10) : random.nextInt(5_000);
            String id = "toloka:" + random.nextInt(pool);
            boolean expected = reference.firstTime(id, time);
            assertEquals(expected, ids.firstTime(id, time), "seed " + seed + ", step " + step + ", " + id);
            assertEquals(reference.size(), ids.size(), "seed " + seed + ", step " + step);
            published += expected ? 1 : 0;
            atTheLimit += reference.size() == reference.maxIds ? 1 : 0;
        }
        Outcome outcome = new Outcome(published, 100_000 - published, atTheLimit);
        assertTrue(outcome.published() > 5_000 && outcome.duplicates() > 5_000, "both answers: " + outcome);
        return outcome;
    }

    @Test
    void shouldFingerprintAnIdByTheFirstSixteenBytesOfTheSha256OfItsUtf8Form() {
        long[] fingerprint = new long[2];
        SeenIds.Sha256Fingerprint sha256 = new SeenIds.Sha256Fingerprint();

        sha256.of("abc", fingerprint); // FIPS 180-2: ba7816bf8f01cfea414140de5dae2223 b00361a3...
        assertArrayEquals(new long[] {0xba7816bf8f01cfeaL, 0x414140de5dae2223L}, fingerprint);
        sha256.of("\u00e9", fingerprint); // UTF-8 c3 a9, not Latin-1 e9
        assertArrayEquals(new long[] {0x4a99557e4033c353L, 0x9de2eb65472017caL}, fingerprint);
    }
}
