package io.hookgate.intake;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The implementation {@link SeenIds} had before its compact table, an insertion-ordered map from id to
 * timestamp: the reference {@code SeenIdsTest} compares it with, and {@code SeenIdsFootprint} measures.
 */
final class ReferenceSeenIds {

    final long windowMillis;
    final int maxIds;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    ReferenceSeenIds(long windowMillis, int maxIds) {
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
    }

    boolean firstTime(String id, long timestamp) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext() && it.next().getValue() < timestamp - windowMillis) {
            it.remove();
        }
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
}
