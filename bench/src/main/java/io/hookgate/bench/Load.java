package io.hookgate.bench;

import io.hookgate.signature.TolokaSigner;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * The load generator: validly signed Toloka batches (hookgate's own {@link TolokaSigner}, fresh
 * {@code ts}, fresh event uuids, {@link Events}) over HTTP/1.1 keep-alive, on loopback.
 *
 * <p><b>Why a JVM client and not wrk.</b> Every request must carry a fresh HMAC over its own body, computed
 * with the project's signer: wrk would need the HMAC re-implemented in Lua (and wrk, unlike wrk2, has no
 * fixed-rate mode nor coordinated-omission correction). <b>Why Vert.x's HttpClient and not
 * java.net.http.</b> java.net.http's HTTP/1.1 pool has no bound on concurrent connections (it opens a new
 * one whenever none is idle; {@code jdk.httpclient.connectionPoolSize} only caps idle ones kept), so "N
 * connections" could not be held exactly, and each response hops through its executor. Vert.x's client
 * keeps exactly {@code --connections} keep-alive connections ({@code PoolOptions.http1MaxSize}), queues
 * what exceeds them (that queueing counts in the fixed-rate latency, as it should), and runs on one
 * event-loop thread, which leaves the other core to the servers and the broker.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code closed}: {@code --connections} senders, each sends its next request when the previous answer
 *   is in ("as fast as the server answers"). Latency = answer - send.</li>
 *   <li>{@code rate}: requests are due at fixed intervals ({@code --rate} per second) whatever the answers
 *   do; latency is measured from the <em>intended</em> send time, so a stall is charged to every request
 *   that should have gone out during it (coordinated omission corrected). Requests still unanswered when
 *   the drain time is over are recorded with their age at that moment (a lower bound) and counted as
 *   unfinished.</li>
 *   <li>{@code probe}: one request every 200 ms until one gets 200 (exit 0) or {@code --duration} passes (exit 1).</li>
 * </ul>
 * The first {@code --warmup} seconds are not measured. Throughput counts answers received inside the measured
 * window; percentiles are over requests (intended to be) sent inside it. During the window it samples the
 * resident memory (VmRSS) of {@code --server-pid} and the CPU time of the server, the broker and itself from
 * /proc. One tab-separated line per run is appended to {@code --out}.
 *
 * <p>Run on its own ({@code main}), a point starts in a cold JVM whose first seconds go to the JIT: the
 * figures of bench/run come from {@link Suite}, which runs every point in one JVM after a warm-up.
 */
public final class Load {

    /** Column names of the {@code --out} file, in order. */
    static final String[] COLUMNS = {"server", "scenario", "round", "events", "connections", "rate", "warmup_s", "duration_s",
        "sent", "completed", "ok", "non2xx", "errors", "unfinished", "req_s", "events_s",
        "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms", "rss_max_mb", "rss_end_mb",
        "cpu_server_pct", "cpu_broker_pct", "cpu_load_pct", "cpu_other_pct", "cpu_machine_pct",
        "drain_s", "sustained_req_s"};

    private final Map<String, String> opts;
    private final String host;
    private final int port;
    private final String path;
    private final int events;
    private final int connections;
    private final TolokaSigner signer;

    private final Vertx vertx;
    private final HttpClient client;

    private final Histogram latencyMicros = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(120), 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong completedInWindow = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong non2xx = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>(); // id -> intended send time
    private final AtomicLong ids = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

    private volatile long measureStart;
    private volatile long end;
    private volatile String lastFailure = "";

    private Load(Map<String, String> opts) {
        this.opts = opts;
        URI url = URI.create(opts.getOrDefault("url", "http://localhost:18080/webhooks/toloka"));
        this.host = url.getHost();
        this.port = url.getPort();
        this.path = url.getPath();
        this.events = Integer.parseInt(opts.getOrDefault("events", "1"));
        this.connections = Integer.parseInt(opts.getOrDefault("connections", "50"));
        this.signer = new TolokaSigner("1", opts.get("secret").getBytes(StandardCharsets.UTF_8));
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Integer.parseInt(opts.getOrDefault("threads", "1"))));
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true)
                        .setPipelining(false).setTcpNoDelay(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int exit;
        Load load = new Load(opts);
        try {
            if ("probe".equals(opts.getOrDefault("mode", "closed"))) {
                exit = load.probe();
            } else {
                load.measure();
                exit = 0;
            }
        } finally {
            load.close();
        }
        System.exit(exit);
    }

    /** Runs one point with these options (as on the command line, without the dashes) and closes. */
    static Map<String, Object> run(Map<String, String> opts) throws Exception {
        Load load = new Load(opts);
        try {
            return load.measure();
        } finally {
            load.close();
        }
    }

    private void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------

    private int probe() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(opts.getOrDefault("duration", "60")));
        String last = "";
        while (System.nanoTime() < deadline) {
            byte[] body = Events.batch(events);
            try {
                var answer = request(body).compose(r -> r.body().map(b -> r.statusCode() + " " + b.toString()))
                        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                if (answer.startsWith("200 ")) {
                    System.out.println("probe " + host + ":" + port + path + ": " + answer);
                    return 0;
                }
                last = answer;
            } catch (Exception e) {
                last = String.valueOf(e.getCause() != null ? e.getCause() : e);
            }
            Thread.sleep(200);
        }
        System.out.println("probe " + host + ":" + port + path + " failed: " + last);
        return 1;
    }

    private Map<String, Object> measure() throws Exception {
        String mode = opts.getOrDefault("mode", "closed");
        if (!mode.equals("closed") && !mode.equals("rate")) {
            throw new IllegalArgumentException("--mode closed|rate|probe");
        }
        boolean fixedRate = mode.equals("rate");
        double rate = Double.parseDouble(opts.getOrDefault("rate", "0"));
        long warmupNanos = TimeUnit.MILLISECONDS.toNanos((long) (1000 * Double.parseDouble(opts.getOrDefault("warmup", "5"))));
        double durationS = Double.parseDouble(opts.getOrDefault("duration", "15"));
        long durationNanos = (long) (durationS * 1e9);
        long start = System.nanoTime();
        measureStart = start + warmupNanos;
        end = measureStart + durationNanos;

        ProcSampler sampler = new ProcSampler(pid("server-pid"), pid("broker-pid"));
        Thread samplerThread = new Thread(() -> sampler.run(measureStart, end), "proc-sampler");
        samplerThread.setDaemon(true);
        samplerThread.start();

        if (fixedRate) {
            // one timing thread: request k is due at start + k/rate, whatever the answers do. The request itself is
            // issued on the client's event loop: issued from this thread, Vert.x 4.5's client lost about one
            // request in 5,000 (never sent, never failed) under load.
            io.vertx.core.Context loop = vertx.getOrCreateContext();
            double periodNanos = 1e9 / rate;
            for (long k = 0; ; k++) {
                long due = start + (long) (k * periodNanos);
                if (due >= end) {
                    break;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long intended = due;
                Prepared prepared = prepare(); // built and signed here, sent from the event loop
                loop.runOnContext(v -> issue(intended, prepared, false));
            }
        } else {
            vertx.runOnContext(v -> {
                for (int i = 0; i < connections; i++) {
                    send(System.nanoTime(), true);
                }
            });
            long wait;
            while ((wait = end - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        // drain: give what is in flight up to 10 s more, then count the rest as unfinished
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!inFlight.isEmpty() && System.nanoTime() < drainEnd) {
            Thread.sleep(20);
        }
        long now = System.nanoTime();
        long unfinished = 0;
        long oldestDue = Long.MAX_VALUE;
        for (Long intended : inFlight.values()) {
            if (intended >= measureStart && intended < end) {
                unfinished++;
                oldestDue = Math.min(oldestDue, intended);
                latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), (now - intended) / 1000));
            }
        }
        if (unfinished > 0) { // one line, not one per request: an overloaded point leaves tens of thousands
            System.out.printf(Locale.ROOT, "unanswered: %d requests of the measured window, the oldest due %.3f s into it,"
                    + " %.1f s ago%n", unfinished, (oldestDue - measureStart) / 1e9, (now - oldestDue) / 1e9);
        }
        samplerThread.join(2000);

        double reqPerS = completedInWindow.get() / durationS;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("server", opts.getOrDefault("label", host + ":" + port));
        row.put("scenario", opts.getOrDefault("scenario", mode + "-" + events));
        row.put("round", opts.getOrDefault("round", "1"));
        row.put("events", events);
        row.put("connections", connections);
        row.put("rate", fixedRate ? (long) rate : 0);
        row.put("warmup_s", warmupNanos / 1e9);
        row.put("duration_s", durationS);
        row.put("sent", sent.get());
        row.put("completed", completedInWindow.get());
        row.put("ok", ok.get());
        row.put("non2xx", non2xx.get());
        row.put("errors", errors.get());
        row.put("unfinished", unfinished);
        row.put("req_s", Math.round(reqPerS));
        row.put("events_s", Math.round(reqPerS * events));
        row.put("p50_ms", ms(latencyMicros.getValueAtPercentile(50)));
        row.put("p90_ms", ms(latencyMicros.getValueAtPercentile(90)));
        row.put("p99_ms", ms(latencyMicros.getValueAtPercentile(99)));
        row.put("p999_ms", ms(latencyMicros.getValueAtPercentile(99.9)));
        row.put("max_ms", ms(latencyMicros.getMaxValue()));
        row.put("rss_max_mb", sampler.rssMaxMb());
        row.put("rss_end_mb", sampler.rssLastMb());
        row.put("cpu_server_pct", sampler.cpuPercent(0));
        row.put("cpu_broker_pct", sampler.cpuPercent(1));
        row.put("cpu_load_pct", sampler.cpuPercent(2));
        row.put("cpu_other_pct", sampler.otherPercent());
        row.put("cpu_machine_pct", sampler.machineBusyPercent());
        // filled in by Suite, which waits for the server's fan-out after the point (-1: not measured)
        row.put("drain_s", -1);
        row.put("sustained_req_s", -1);

        StringBuilder human = new StringBuilder();
        row.forEach((k, v) -> human.append(k).append('=').append(v).append(' '));
        if (!statuses.isEmpty()) {
            human.append("statuses=").append(statuses);
        }
        if (!lastFailure.isEmpty()) {
            human.append(" last_failure=").append(lastFailure);
        }
        System.out.println(human.toString().trim());
        if (opts.get("out") != null) {
            append(opts.get("out"), row);
        }
        return row;
    }

    /** Appends {@code row} (its values in {@link #COLUMNS}' order) to the tab-separated file {@code out}. */
    static void append(String out, Map<String, Object> row) throws java.io.IOException {
        Path file = Path.of(out);
        StringBuilder line = new StringBuilder();
        if (!Files.exists(file)) {
            line.append(String.join("\t", COLUMNS)).append('\n');
        }
        line.append(String.join("\t", java.util.Arrays.stream(COLUMNS).map(c -> String.valueOf(row.get(c))).toList()))
                .append('\n');
        Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Sends one freshly built and signed batch; {@code closedLoop}: send the next one when it is answered. */
    private void send(long intended, boolean closedLoop) {
        issue(intended, prepare(), closedLoop);
    }

    /** A request ready to go: options with the signature header, and the body it signs. */
    private record Prepared(RequestOptions options, Buffer body) {
    }

    /** Builds a fresh batch and signs it (any thread). */
    private Prepared prepare() {
        byte[] body = Events.batch(events);
        String signature = signer.signatureHeader(body, System.currentTimeMillis());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI(path).setIdleTimeout(20_000)
                .putHeader("Content-Type", "application/json")
                .putHeader("Toloka-Signature", signature);
        return new Prepared(options, Buffer.buffer(body));
    }

    /** Sends a prepared request; runs on the client's event loop. */
    private void issue(long intended, Prepared prepared, boolean closedLoop) {
        long id = ids.incrementAndGet();
        inFlight.put(id, intended);
        if (intended >= measureStart && intended < end) {
            sent.incrementAndGet();
        }
        client.request(prepared.options()).compose(r -> r.send(prepared.body()))
                .compose(r -> r.body().map(b -> r.statusCode())).onComplete(result -> {
                    long now = System.nanoTime();
                    inFlight.remove(id);
                    done(intended, now, result);
                    if (closedLoop && now < end) {
                        send(now, true);
                    }
                });
    }

    private Future<io.vertx.core.http.HttpClientResponse> request(byte[] body) {
        String signature = signer.signatureHeader(body, System.currentTimeMillis());
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
                .setURI(path).setIdleTimeout(20_000)
                .putHeader("Content-Type", "application/json")
                .putHeader("Toloka-Signature", signature);
        return client.request(request).compose(r -> r.send(Buffer.buffer(body)));
    }

    private void done(long intended, long now, AsyncResult<Integer> result) {
        if (now >= measureStart && now < end) {
            completedInWindow.incrementAndGet();
        }
        if (intended < measureStart || intended >= end) {
            return;
        }
        latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), (now - intended) / 1000));
        if (result.failed()) {
            errors.incrementAndGet();
            lastFailure = String.valueOf(result.cause());
            return;
        }
        int status = result.result();
        if (status >= 200 && status < 300) {
            ok.incrementAndGet();
        } else {
            non2xx.incrementAndGet();
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        }
    }

    private long pid(String key) {
        String value = opts.get(key);
        return value == null || value.isBlank() ? -1 : Long.parseLong(value);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    // ---------------------------------------------------------------------------------------------

    /** Reads /proc during the measured window: VmRSS of the server, CPU ticks of server, broker, itself. */
    static final class ProcSampler {
        private final long[] pids;
        private final long[] ticksAtStart;
        private final long[] ticksAtEnd;
        private long machineBusyStart;
        private long machineTotalStart;
        private long machineBusyEnd;
        private long machineTotalEnd;
        private volatile long rssMaxKb = -1;
        private volatile long rssLastKb = -1;
        private double seconds;
        private Map<Long, Long> allAtStart = Map.of();
        private Map<Long, Long> allAtEnd = Map.of();

        ProcSampler(long serverPid, long brokerPid) {
            this.pids = new long[] {serverPid, brokerPid, ProcessHandle.current().pid()};
            this.ticksAtStart = new long[pids.length];
            this.ticksAtEnd = new long[pids.length];
        }

        void run(long from, long to) {
            long wait;
            while ((wait = from - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long t0 = System.nanoTime();
            snapshot(ticksAtStart);
            allAtStart = allProcesses();
            long[] machine = machineTicks();
            machineBusyStart = machine[0];
            machineTotalStart = machine[1];
            while (System.nanoTime() < to) {
                long rss = rssKb(pids[0]);
                if (rss > 0) {
                    rssLastKb = rss;
                    rssMaxKb = Math.max(rssMaxKb, rss);
                }
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(500), Math.max(1, to - System.nanoTime())));
            }
            snapshot(ticksAtEnd);
            allAtEnd = allProcesses();
            machine = machineTicks();
            machineBusyEnd = machine[0];
            machineTotalEnd = machine[1];
            seconds = (System.nanoTime() - t0) / 1e9;
        }

        long rssMaxMb() {
            return rssMaxKb < 0 ? -1 : rssMaxKb / 1024;
        }

        long rssLastMb() {
            return rssLastKb < 0 ? -1 : rssLastKb / 1024;
        }

        /** CPU of process i over the window, in % of one core (200 = both cores of a 2-core machine). */
        long cpuPercent(int i) {
            if (pids[i] < 0 || seconds <= 0 || ticksAtStart[i] < 0 || ticksAtEnd[i] < 0) {
                return -1;
            }
            return Math.round((ticksAtEnd[i] - ticksAtStart[i]) / 100.0 / seconds * 100); // USER_HZ = 100 on Linux
        }

        /** Busy share of all cores over the window, in %. */
        long machineBusyPercent() {
            long total = machineTotalEnd - machineTotalStart;
            return total <= 0 ? -1 : Math.round(100.0 * (machineBusyEnd - machineBusyStart) / total);
        }

        /**
         * CPU used over the window by every other process on the machine (the idle server, builds or tests of
         * other people, the OS's daemons), in % of one core: what disturbed the measurement. Summed over
         * /proc/[pid]/stat at both ends of the window (a process that ended inside the window is missed).
         */
        long otherPercent() {
            if (seconds <= 0) {
                return -1;
            }
            long ticks = 0;
            for (Map.Entry<Long, Long> e : allAtEnd.entrySet()) {
                boolean ours = false;
                for (long pid : pids) {
                    ours |= pid == e.getKey();
                }
                if (!ours) {
                    ticks += e.getValue() - allAtStart.getOrDefault(e.getKey(), 0L);
                }
            }
            return Math.round(ticks / 100.0 / seconds * 100);
        }

        private static Map<Long, Long> allProcesses() {
            Map<Long, Long> ticks = new java.util.HashMap<>();
            try (var dir = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : dir) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    long t = cpuTicks(pid);
                    if (t >= 0) {
                        ticks.put(pid, t);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // best effort
            }
            return ticks;
        }

        private void snapshot(long[] into) {
            for (int i = 0; i < pids.length; i++) {
                into[i] = pids[i] < 0 ? -1 : cpuTicks(pids[i]);
            }
        }

        private static long cpuTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static long rssKb(long pid) {
            if (pid < 0) {
                return -1;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }

        /** {busy, total} jiffies of all cores, from the first line of /proc/stat. */
        private static long[] machineTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
                return new long[] {total - idle, total};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }
    }
}
