package io.hookgate.intake;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Measures what the deduplication memory costs: heap per remembered id, and time per
 * {@link SeenIds#firstTime} call, beside the map it replaced ({@link ReferenceSeenIds}). Prints, asserts
 * nothing; not run by the build (the README quotes its figures). From the project directory:
 *
 * <pre>
 * mvn -B -o test-compile
 * java -Xms1g -Xmx1g -cp target/classes:target/test-classes io.hookgate.intake.SeenIdsFootprint
 * </pre>
 */
public final class SeenIdsFootprint {

    private static final int IDS = 1_000_000;
    private static final long WINDOW = 3_600_000;
    private static final int ROUNDS = 5;

    private SeenIdsFootprint() {
    }

    public static void main(String[] args) {
        System.out.printf("heap per id, %,d Toloka ids (toloka:<uuid>) of one partition:%n", IDS);
        heap("SeenIds", () -> {
            SeenIds ids = new SeenIds(WINDOW, IDS);
            Random random = new Random(1);
            for (int i = 0; i < IDS; i++) {
                ids.firstTime(tolokaId(random), i);
            }
            return ids;
        });
        heap("the LinkedHashMap it replaced", () -> {
            ReferenceSeenIds ids = new ReferenceSeenIds(WINDOW, IDS);
            Random random = new Random(1);
            for (int i = 0; i < IDS; i++) {
                ids.firstTime(tolokaId(random), i);
            }
            return ids;
        });

        String[] toloka = ids(new Random(2), 2 * IDS, SeenIdsFootprint::tolokaId);
        String[] skyvern = ids(new Random(3), 2 * IDS, SeenIdsFootprint::skyvernId);
        System.out.printf("%nns per call, best and median of %d rounds of %,d calls:%n", ROUNDS, IDS);
        for (String[] sample : new String[][] {toloka, skyvern}) {
            String kind = sample == toloka ? "Toloka" : "Skyvern";
            time(kind + " fingerprint (SHA-256) alone", sample, () -> {
                SeenIds.Sha256Fingerprint sha256 = new SeenIds.Sha256Fingerprint();
                long[] into = new long[2];
                return id -> {
                    sha256.of(id, into);
                    return into[0] == into[1];
                };
            });
            time(kind + " new ids, growing from empty", sample, () -> {
                SeenIds ids = new SeenIds(WINDOW, IDS);
                long[] t = {0};
                return id -> ids.firstTime(id, t[0]++);
            });
            time(kind + " new ids at the limit (each forgets the oldest)", sample, () -> {
                SeenIds ids = new SeenIds(WINDOW, IDS);
                for (int i = IDS; i < 2 * IDS; i++) {
                    ids.firstTime(sample[i], 0);
                }
                return id -> ids.firstTime(id, 0);
            });
            time(kind + " duplicates", sample, () -> {
                SeenIds ids = new SeenIds(WINDOW, IDS);
                for (int i = 0; i < IDS; i++) {
                    ids.firstTime(sample[i], 0);
                }
                return id -> ids.firstTime(id, 0);
            });
            time(kind + " new ids at the limit, the LinkedHashMap", sample, () -> {
                ReferenceSeenIds ids = new ReferenceSeenIds(WINDOW, IDS);
                for (int i = IDS; i < 2 * IDS; i++) {
                    ids.firstTime(sample[i], 0);
                }
                return id -> ids.firstTime(id, 0);
            });
        }
        time("Skyvern: its first 32 hex digits parsed instead of hashed", skyvern, () -> {
            long[] into = new long[2];
            return id -> {
                into[0] = Long.parseUnsignedLong(id, 8, 24, 16);
                into[1] = Long.parseUnsignedLong(id, 24, 40, 16);
                return into[0] == into[1];
            };
        });
    }

    private interface Filled {
        Object fill();
    }

    private static void heap(String what, Filled filled) {
        long before = usedAfterGc();
        Object kept = filled.fill();
        long after = usedAfterGc();
        System.out.printf("  %-30s %6.1f B/id (%,d bytes for %,d ids)%n", what, (after - before) / (double) IDS,
                after - before, size(kept));
    }

    private static int size(Object ids) {
        return ids instanceof SeenIds seen ? seen.size() : ((ReferenceSeenIds) ids).size();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private interface Setup {
        /** A fresh subject, ready; the calls measured are on {@code sample[0..IDS)}. */
        Predicate<String> prepare();
    }

    private static void time(String what, String[] sample, Setup setup) {
        long[] ns = new long[ROUNDS];
        int answers = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Predicate<String> call = setup.prepare();
            long start = System.nanoTime();
            for (int i = 0; i < IDS; i++) {
                answers += call.test(sample[i]) ? 1 : 0;
            }
            ns[round] = System.nanoTime() - start;
        }
        Arrays.sort(ns);
        System.out.printf("  %-58s %6.0f %6.0f   (%d)%n", what, ns[0] / (double) IDS, ns[ROUNDS / 2] / (double) IDS,
                answers / ROUNDS);
    }

    private static String[] ids(Random random, int count, Function<Random, String> id) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = id.apply(random);
        }
        return ids;
    }

    private static String tolokaId(Random random) {
        return "toloka:" + new UUID(random.nextLong(), random.nextLong());
    }

    private static String skyvernId(Random random) {
        byte[] sha256 = new byte[32];
        random.nextBytes(sha256);
        return "skyvern:" + HexFormat.of().formatHex(sha256);
    }
}
