package io.hookgate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every load point of bench/run in ONE load-generator JVM, so that the generator is JIT-compiled
 * once, before the first measurement (a fresh JVM per point spent its first seconds compiling and
 * capped the throughput it could offer at about a third of what it offers warm).
 *
 * <ol>
 *   <li>warm-up, not recorded: each server gets closed-loop load, 1- and 10-event batches by turns, for at least
 *   {@code --jit-warmup} seconds and until its JIT compiler threads are nearly idle (see {@link #warmUp});</li>
 *   <li>{@code --rounds} rounds of closed loop, 1-event then 10-event batches, {@code --connections}
 *   connections, {@code --warmup} + {@code --duration} seconds;</li>
 *   <li>fixed rate, 10-event batches, at each of {@code --rates} requests/s, {@code --rate-warmup} +
 *   {@code --rate-duration} seconds (one round).</li>
 * </ol>
 * At every point the servers take turns, and which one goes first alternates from point to point, so
 * that neither always runs right after the other (or on a broker that just took the other's load).
 *
 * <p>After each point (and each server's warm-up) the suite waits until that server's fan-out has published
 * everything it accepted ({@link FanOutLag}): the wait is part of the point's sustained rate, and no point
 * runs while the other server's fan-out is still working off its backlog.
 *
 * <p>Options: {@code --targets hookgate,baseline}, per target {@code --<name>-url}, {@code --<name>-pid} and
 * {@code --<name>-intake <topic>:<fan-out consumer group>}; {@code --brokers}, {@code --broker-pid},
 * {@code --secret}, {@code --out}, and the durations above.
 */
public final class Suite {

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> targets = new ArrayList<>(Arrays.asList(opts.getOrDefault("targets", "hookgate,baseline").split(",")));
        String connections = opts.getOrDefault("connections", "50");
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
        double jitWarmup = Double.parseDouble(opts.getOrDefault("jit-warmup", "20"));

        Map<String, FanOutLag> lags = new LinkedHashMap<>();
        for (String target : targets) {
            lags.put(target, new FanOutLag(opts.get("brokers"), opts.get(target + "-intake")));
        }
        for (String target : targets) {
            warmUp(opts, target, connections, jitWarmup);
            caughtUp(lags.get(target), target);
        }
        for (int round = 1; round <= rounds; round++) {
            for (String events : List.of("1", "10")) {
                for (String target : targets) {
                    log(target + ": closed-" + events + ", round " + round);
                    Map<String, String> p = point(opts, target, "closed-" + events, "closed", events, connections,
                            opts.getOrDefault("warmup", "3"), opts.getOrDefault("duration", "15"), null);
                    p.put("round", String.valueOf(round));
                    measure(p, lags.get(target), opts.get("out"));
                }
                java.util.Collections.reverse(targets);
            }
        }
        for (String rate : opts.getOrDefault("rates", "500 1000 2000").trim().split("\\s+")) {
            for (String target : targets) {
                log(target + ": fixed rate " + rate + " req/s, 10-event");
                Map<String, String> p = point(opts, target, "rate-" + rate + "-10", "rate", "10", connections,
                        opts.getOrDefault("rate-warmup", "2"), opts.getOrDefault("rate-duration", "10"), null);
                p.put("rate", rate);
                measure(p, lags.get(target), opts.get("out"));
            }
            java.util.Collections.reverse(targets);
        }
        lags.values().forEach(FanOutLag::close);
        System.exit(0);
    }

    /** The longest a server's fan-out may take to work off a point's backlog before the run fails. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

    /**
     * One point, then the wait for the server's fan-out to publish everything the point had it accept. The
     * point's row gets the wait ({@code drain_s}) and the rate the server sustained, HTTP and fan-out both:
     * the requests answered in the measured window over the window plus the wait ({@code sustained_req_s};
     * a little low, as the wait also works off the point's unrecorded warm-up). The next point, whichever
     * server it is, then starts with neither fan-out behind.
     */
    private static void measure(Map<String, String> p, FanOutLag lag, String out) throws Exception {
        Map<String, Object> row = Load.run(p);
        double drain = lag.awaitCaughtUp(DRAIN_TIMEOUT);
        double window = ((Number) row.get("duration_s")).doubleValue();
        row.put("drain_s", Math.round(drain * 100) / 100.0);
        row.put("sustained_req_s", Math.round(((Number) row.get("completed")).doubleValue() / (window + drain)));
        log(String.format(java.util.Locale.ROOT, "%s: fan-out caught up %.2f s after the point; sustained %s req/s",
                p.get("label"), drain, row.get("sustained_req_s")));
        if (out != null) {
            Load.append(out, row);
        }
    }

    private static void caughtUp(FanOutLag lag, String target) throws Exception {
        double drain = lag.awaitCaughtUp(DRAIN_TIMEOUT);
        log(String.format(java.util.Locale.ROOT, "%s: fan-out caught up %.2f s after the warm-up", target, drain));
    }

    /**
     * Unrecorded load on one server, in 4-second chunks alternating 1- and 10-event batches, until its JIT has
     * settled: at least {@code seconds}, then until the server's JIT compiler threads used less than
     * {@link #JIT_SETTLED} of one core over each of the last two chunks, at most {@link #MAX_WARMUP_FACTOR} times
     * {@code seconds}. A throughput-based test (two chunks within 10%) stopped hookgate's warm-up after 40 s
     * while C2 still took 30% of its CPU: its throughput went on rising for another two minutes, to about 2.5x.
     */
    private static void warmUp(Map<String, String> opts, String target, String connections, double seconds)
            throws Exception {
        long start = System.nanoTime();
        long pid = Long.parseLong(opts.get(target + "-pid"));
        double previousShare = 1;
        for (int chunk = 0; ; chunk++) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= MAX_WARMUP_FACTOR * seconds) {
                log("warm-up of " + target + " stopped after " + Math.round(elapsed) + " s: its JIT had not settled");
                return;
            }
            String events = chunk % 2 == 0 ? "1" : "10";
            long compilerTicks = compilerTicks(pid);
            long chunkStart = System.nanoTime();
            Map<String, Object> row = Load.run(point(opts, target, "warmup", "closed", events, connections, "0", "4", null));
            double share = (compilerTicks(pid) - compilerTicks) / (CLOCK_TICKS * (System.nanoTime() - chunkStart) / 1e9);
            log(String.format("warm-up (not recorded): %s, closed loop, %s-event, 4 s: %s req/s, JIT compilers %.0f%% of a core",
                    target, events, row.get("req_s"), 100 * share));
            elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= seconds && share < JIT_SETTLED && previousShare < JIT_SETTLED) {
                log("warm-up of " + target + " done after " + Math.round(elapsed) + " s");
                return;
            }
            previousShare = share;
        }
    }

    /** Below this share of one core, spent by the JIT compiler threads over a chunk, a server's JIT has settled. */
    private static final double JIT_SETTLED = 0.10;
    private static final double MAX_WARMUP_FACTOR = 8;
    /** USER_HZ, the unit of /proc/<pid>/task/<tid>/stat's times: 100 on Linux on x86 and arm. */
    private static final double CLOCK_TICKS = 100;

    /** CPU ticks (user + system) of the JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre") of {@code pid}. */
    private static long compilerTicks(long pid) throws java.io.IOException {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue; // the thread ended
                }
                // "tid (comm) state ...": comm may hold spaces, so split after the last ')'
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (!stat.substring(open + 1, close).contains("CompilerThre")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            }
        }
        return ticks;
    }

    private static Map<String, String> point(Map<String, String> opts, String target, String scenario, String mode,
            String events, String connections, String warmup, String duration, String out) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("label", target);
        p.put("scenario", scenario);
        p.put("url", opts.get(target + "-url"));
        p.put("server-pid", opts.getOrDefault(target + "-pid", ""));
        p.put("broker-pid", opts.getOrDefault("broker-pid", ""));
        p.put("secret", opts.get("secret"));
        p.put("mode", mode);
        p.put("events", events);
        p.put("connections", connections);
        p.put("warmup", warmup);
        p.put("duration", duration);
        if (out != null) {
            p.put("out", out);
        }
        return p;
    }

    private static void log(String message) {
        System.out.printf("[suite %tT] %s%n", System.currentTimeMillis(), message);
    }
}
