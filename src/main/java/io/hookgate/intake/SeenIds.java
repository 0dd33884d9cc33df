package io.hookgate.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The ids one intake partition has published within the deduplication window, oldest first. Time is the
 * intake records' own timestamps, so that a rebuild from the topic gives the same set as the live path.
 * Bounded twice: ids older than the window are forgotten, and beyond {@code maxIds} the oldest goes.
 * Not thread-safe: one partition has one writer.
 *
 * <p>Compact: an id is kept as a 128-bit fingerprint (the first 16 bytes of the SHA-256 of its UTF-8
 * form), with its timestamp, in a ring in insertion order (the oldest is the next to go), and found
 * through an open-addressing index of ring slots (linear probing, at most half full, deletion by
 * backward shift, so no tombstones). 32 bytes per id in its arrays once full, 35 measured on the heap
 * ({@code SeenIdsFootprint}); they grow by doubling up to {@code maxIds}, so a partition that sees few
 * ids costs little. Two different ids taken
 * for one is a silently dropped event: with n ids remembered, a new id does so with a chance of
 * n / 2<sup>128</sup> (below 10<sup>-32</sup> at a million ids).
 */
final class SeenIds {

    /** The most ids one instance can hold: its index, twice as long, must stay a Java array. */
    static final int MAX_IDS = 1 << 29;

    /** Ring slots of a new instance (fewer if {@code maxIds} is smaller). */
    static final int INITIAL_CAPACITY = 16;

    private static final int EMPTY = 0;

    /** Turns an id into its 128-bit fingerprint. */
    @FunctionalInterface
    interface Fingerprint {

        /** Writes the high 64 bits of {@code id}'s fingerprint to {@code into[0]}, the low to {@code into[1]}. */
        void of(String id, long[] into);
    }

    private final long windowMillis;
    private final int maxIds;
    private final Fingerprint fingerprint;
    private final long[] scratch = new long[2];

    // The ring: slot (oldest + i) mod capacity holds the i-th oldest id, for i < size.
    private long[] high;
    private long[] low;
    private long[] timestamps;
    private int oldest;
    private int size;

    /** Index position → ring slot + 1, or EMPTY; a power of two at least twice the ring's capacity. */
    private int[] index;
    private int mask;

    SeenIds(long windowMillis, int maxIds) {
        this(windowMillis, maxIds, new Sha256Fingerprint());
    }

    /**
     * @param fingerprint the index position is its high 64 bits' low bits, so it must spread them
     *        uniformly; tests inject one that does not, to make ids collide on purpose
     */
    SeenIds(long windowMillis, int maxIds, Fingerprint fingerprint) {
        if (windowMillis <= 0 || maxIds <= 0) {
            throw new IllegalArgumentException("the window and the id limit must be positive");
        }
        if (maxIds > MAX_IDS) {
            throw new IllegalArgumentException("the id limit must be at most " + MAX_IDS);
        }
        this.windowMillis = windowMillis;
        this.maxIds = maxIds;
        this.fingerprint = fingerprint;
        allocate(Math.min(INITIAL_CAPACITY, maxIds));
    }

    /**
     * Records {@code id}, seen in an intake record of time {@code timestamp}.
     *
     * @return true if it was not seen within the window (publish it), false for a duplicate
     */
    boolean firstTime(String id, long timestamp) {
        forgetOlderThan(timestamp - windowMillis);
        fingerprint.of(id, scratch);
        long h = scratch[0];
        long l = scratch[1];
        int position = home(h);
        for (int entry = index[position]; entry != EMPTY; entry = index[position]) {
            if (high[entry - 1] == h && low[entry - 1] == l) {
                return false;
            }
            position = (position + 1) & mask;
        }
        if (size == high.length) {
            if (size < maxIds) {
                grow();
            } else {
                forgetOldest();
            }
            position = free(h); // both move index entries, maybe into the position found above
        }
        int slot = slot(size);
        high[slot] = h;
        low[slot] = l;
        timestamps[slot] = timestamp;
        index[position] = slot + 1;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    /** Ring slots now allocated: grows by doubling up to {@code maxIds}, never shrinks. */
    int capacity() {
        return high.length;
    }

    private void forgetOlderThan(long cutoff) {
        while (size > 0 && timestamps[oldest] < cutoff) {
            forgetOldest();
        }
    }

    /** Removes the oldest id from the ring and from the index. */
    private void forgetOldest() {
        int entry = oldest + 1;
        int position = home(high[oldest]);
        while (index[position] != entry) {
            position = (position + 1) & mask;
        }
        removeAt(position);
        oldest = slot(1);
        size--;
    }

    /**
     * Empties index position {@code gap}, then moves back each later entry of its run that would no
     * longer be found (its home is not cyclically within (gap, its position]), so that every lookup still
     * ends at the first empty position.
     */
    private void removeAt(int gap) {
        int position = gap;
        while (true) {
            position = (position + 1) & mask;
            int entry = index[position];
            if (entry == EMPTY) {
                index[gap] = EMPTY;
                return;
            }
            int home = home(high[entry - 1]);
            boolean reachable = gap <= position ? gap < home && home <= position : gap < home || home <= position;
            if (!reachable) {
                index[gap] = entry;
                gap = position;
            }
        }
    }

    /** Doubles the ring (at most to {@code maxIds}), oldest first at slot 0, and rebuilds the index. */
    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldTimestamps = timestamps;
        int count = size;
        int first = oldest;
        allocate((int) Math.min(2L * oldHigh.length, maxIds));
        for (int i = 0; i < count; i++) {
            int from = (first + i) % oldHigh.length;
            high[i] = oldHigh[from];
            low[i] = oldLow[from];
            timestamps[i] = oldTimestamps[from];
            index[free(high[i])] = i + 1;
        }
        size = count;
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        timestamps = new long[capacity];
        index = new int[Integer.highestOneBit(2 * capacity - 1) << 1]; // the power of two >= 2 * capacity
        mask = index.length - 1;
        oldest = 0;
        size = 0;
    }

    /** The first empty index position from the home of {@code h}. */
    private int free(long h) {
        int position = home(h);
        while (index[position] != EMPTY) {
            position = (position + 1) & mask;
        }
        return position;
    }

    private int home(long h) {
        return (int) h & mask;
    }

    /** The ring slot of the {@code i}-th oldest id. */
    private int slot(int i) {
        int slot = oldest + i;
        return slot >= high.length ? slot - high.length : slot;
    }

    /**
     * The first 16 bytes of the SHA-256 of the id's UTF-8 form. A Skyvern id, already a SHA-256 in hex, is
     * hashed too: parsing its digits instead would save about 0.1 of a call's 0.5 to 0.8 µs
     * ({@code SeenIdsFootprint}), not worth a second place that knows what an id looks like.
     */
    static final class Sha256Fingerprint implements Fingerprint {

        private final MessageDigest sha256;
        private final byte[] digest = new byte[32];
        private final ByteBuffer bytes = ByteBuffer.wrap(digest);

        Sha256Fingerprint() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public void of(String id, long[] into) {
            sha256.update(id.getBytes(StandardCharsets.UTF_8));
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (DigestException e) {
                throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
            }
            into[0] = bytes.getLong(0);
            into[1] = bytes.getLong(8);
        }
    }
}
