package io.hookgate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replay's command line. */
class ReplayTest {

    @Test
    void readsEachWayOfSayingWhereToStart() {
        Replay.Options since = Replay.parse(new String[] {"--since", "2026-12-01T10:00:00Z", "--until",
                "2026-12-01T11:00:00Z"});
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), since.since());
        assertEquals(Instant.parse("2026-12-01T11:00:00Z"), since.until());
        assertTrue(!since.dryRun());

        Replay.Options all = Replay.parse(new String[] {"--from-offset", "123", "--dry-run"});
        assertEquals(123L, all.allFromOffset());
        assertTrue(all.dryRun());
        assertNull(all.since());

        Replay.Options perPartition = Replay.parse(new String[] {"--from-offset", "0:123, 2:7"});
        assertEquals(Map.of(0, 123L, 2, 7L), perPartition.fromOffsets());
        assertNull(perPartition.allFromOffset());

        assertNull(Replay.parse(new String[] {"--help"}), "help");
    }

    @Test
    void refusesWhatItCannotRead() {
        for (String[] args : new String[][] {
                {}, {"--since"}, {"--since", "2026-12-01"}, {"--from-offset", "-1"}, {"--from-offset", "0:"},
                {"--from-offset", "a:1"}, {"--from-offset", "1", "--since", "2026-12-01T10:00:00Z"},
                {"--from-offset", "1", "--until", "tomorrow"}, {"--from-offset", "1", "--force"}}) {
            assertThrows(IllegalArgumentException.class, () -> Replay.parse(args), String.join(" ", args));
        }
    }

    @Test
    void answersUsageErrorsWithTheirExitCode() {
        assertEquals(Replay.USAGE, Replay.run(new String[] {"--bogus"}, Map.of(), ReplayIT.quiet(), ReplayIT.quiet()));
    }
}
