package io.hookgate.bench;

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
 *   {@code --jit-warmup} seconds and until its throughput is steady (at most twice that);</li>
 *   <li>{@code --rounds} rounds of closed loop, 1-event then 10-event batches, {@code --connections}
 *   connections, {@code --warmup} + {@code --duration} seconds;</li>
 *   <li>fixed rate, 10-event batches, at each of {@code --rates} requests/s, {@code --rate-warmup} +
 *   {@code --rate-duration} seconds (one round).</li>
 * </ol>
 * At every point the servers take turns, and which one goes first alternates from point to point, so
 * that neither always runs right after the other (or on a broker that just took the other's load).
 *
 * <p>Options: {@code --targets hookgate,baseline}, per target {@code --<name>-url} and {@code --<name>-pid};
 * {@code --broker-pid}, {@code --secret}, {@code --out}, and the durations above.
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

        for (String target : targets) {
            warmUp(opts, target, connections, jitWarmup);
        }
        for (int round = 1; round <= rounds; round++) {
            for (String events : List.of("1", "10")) {
                for (String target : targets) {
                    log(target + ": closed-" + events + ", round " + round);
                    Map<String, String> p = point(opts, target, "closed-" + events, "closed", events, connections,
                            opts.getOrDefault("warmup", "3"), opts.getOrDefault("duration", "15"), opts.get("out"));
                    p.put("round", String.valueOf(round));
                    Load.run(p);
                }
                java.util.Collections.reverse(targets);
            }
        }
        for (String rate : opts.getOrDefault("rates", "500 1000 2500 5000").trim().split("\\s+")) {
            for (String target : targets) {
                log(target + ": fixed rate " + rate + " req/s, 10-event");
                Map<String, String> p = point(opts, target, "rate-" + rate + "-10", "rate", "10", connections,
                        opts.getOrDefault("rate-warmup", "2"), opts.getOrDefault("rate-duration", "10"), opts.get("out"));
                p.put("rate", rate);
                Load.run(p);
            }
            java.util.Collections.reverse(targets);
        }
        System.exit(0);
    }

    /**
     * Unrecorded load on one server, in 4-second chunks alternating 1- and 10-event batches, until the JIT has
     * settled: at least {@code seconds}, then until each size's last chunk is within 10% of its previous one, at
     * most twice {@code seconds}. A time-only warm-up was not enough when other work slowed the machine down:
     * hookgate then served a few thousand requests in it and was still compiling in the first measurement.
     */
    private static void warmUp(Map<String, String> opts, String target, String connections, double seconds)
            throws Exception {
        long start = System.nanoTime();
        Map<String, Double> last = new LinkedHashMap<>();
        Map<String, Boolean> steady = new LinkedHashMap<>(Map.of("1", false, "10", false));
        for (int chunk = 0; ; chunk++) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= 2 * seconds || (elapsed >= seconds && !steady.containsValue(false))) {
                log("warm-up of " + target + " done after " + Math.round(elapsed) + " s");
                return;
            }
            String events = chunk % 2 == 0 ? "1" : "10";
            log("warm-up (not recorded): " + target + ", closed loop, " + events + "-event, 4 s");
            Map<String, Object> row = Load.run(point(opts, target, "warmup", "closed", events, connections, "0", "4", null));
            double rate = ((Number) row.get("req_s")).doubleValue();
            Double previous = last.put(events, rate);
            steady.put(events, previous != null && Math.abs(rate - previous) <= 0.1 * Math.max(rate, previous));
        }
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
