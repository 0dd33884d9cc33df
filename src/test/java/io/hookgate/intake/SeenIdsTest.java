package io.hookgate.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
