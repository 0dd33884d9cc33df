package io.hookgate.intake;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids one intake partition has published within the deduplication window, oldest first. Time is the
 * intake records' own timestamps, so that a rebuild from the topic gives the same set as the live path.
 * Bounded twice: ids older than the window are forgotten, and beyond {@code maxIds} the oldest goes.
 * Not thread-safe: one partition has one writer.
 */
final class SeenIds {

    private final long windowMillis;
    private final int maxIds;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    SeenIds(long windowMillis, int maxIds) {
        if (windowMillis <= 0 || maxIds <= 0) {
            throw new IllegalArgumentException("the window and the id limit must be positive");
        }
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
    }

    /**
     * Records {@code id}, seen in an intake record of time {@code timestamp}.
     *
     * @return true if it was not seen within the window (publish it), false for a duplicate
     */
    boolean firstTime(String id, long timestamp) {
        forgetOlderThan(timestamp - windowMillis);
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, timestamp);
        if (seen.size() > maxIds) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    int size() {
        return seen.size();
    }

    private void forgetOlderThan(long cutoff) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext() && it.next().getValue() < cutoff) {
            it.remove();
        }
    }
}
