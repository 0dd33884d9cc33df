package io.hookgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns one run of bench/run into its report: the table printed on the console, {@code latest.md}
 * (markdown) and {@code latest.png} (p99 latency against throughput, hookgate vs baseline).
 *
 * <p>Usage: {@code Report <results.tsv> <jmh.json or -> <out-dir> <meta.txt>}; meta.txt holds
 * {@code key=value} lines describing the machine and the versions, copied into the report.
 */
public final class Report {

    private static final String HOOKGATE = "hookgate";
    private static final String BASELINE = "baseline";

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        List<Map<String, String>> rows = readTsv(Path.of(args[0]));
        Path jmhFile = "-".equals(args[1]) ? null : Path.of(args[1]);
        Path outDir = Path.of(args[2]);
        Map<String, String> meta = readMeta(Path.of(args[3]));
        Files.createDirectories(outDir);

        StringBuilder md = new StringBuilder();
        md.append("# hookgate benchmark: latest run\n\n");
        md.append("Written by `bench/run` (").append(meta.getOrDefault("date", "?")).append("). hookgate and the baseline ran side by side against the same broker, in the same run, ")
                .append("taking turns at every point; the closed-loop points were run in several rounds (the range shows their ")
                .append("spread), the fixed-rate points once.\n\n");
        md.append("| | |\n|---|---|\n");
        meta.forEach((k, v) -> {
            if (!"date".equals(k)) {
                md.append("| ").append(k).append(" | ").append(v).append(" |\n");
            }
        });
        md.append("\n**Caveat:** the broker, hookgate, the baseline and the load generator share the same 2 cores; ")
                .append("the server under test gets what the broker and the load generator leave (see the CPU columns).\n\n");

        // ---- summary: hookgate vs baseline per scenario (mean over rounds, range when there are several)
        Map<String, Map<String, List<Map<String, String>>>> byScenario = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            byScenario.computeIfAbsent(row.get("scenario"), s -> new LinkedHashMap<>())
                    .computeIfAbsent(row.get("server"), s -> new ArrayList<>()).add(row);
        }
        StringBuilder table = new StringBuilder();
        table.append("| scenario | rounds | hookgate req/s answered | baseline req/s answered | ratio answered "
                + "| hookgate req/s sustained | baseline req/s sustained | ratio sustained "
                + "| hookgate p50 / p99 / p99.9 ms | baseline p50 / p99 / p99.9 ms | hookgate failed | baseline failed |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|\n");
        Map<String, Double> ratios = new LinkedHashMap<>();
        Map<String, Double> answeredRatios = new LinkedHashMap<>();
        for (var e : byScenario.entrySet()) {
            List<Map<String, String>> h = e.getValue().getOrDefault(HOOKGATE, List.of());
            List<Map<String, String>> b = e.getValue().getOrDefault(BASELINE, List.of());
            String answered = ratio(h, b, "req_s", answeredRatios, e.getKey());
            String sustained = ratio(h, b, "sustained_req_s", ratios, e.getKey());
            Map<String, String> any = !h.isEmpty() ? h.get(0) : b.get(0);
            table.append("| ").append(describe(e.getKey(), any)).append(" | ").append(Math.max(h.size(), b.size())).append(" | ")
                    .append(meanRange(h, "req_s")).append(" | ").append(meanRange(b, "req_s")).append(" | ").append(answered).append(" | ")
                    .append(meanRange(h, "sustained_req_s")).append(" | ").append(meanRange(b, "sustained_req_s")).append(" | ")
                    .append(sustained).append(" | ")
                    .append(percentiles(h)).append(" | ").append(percentiles(b)).append(" | ")
                    .append(failures(h)).append(" | ").append(failures(b)).append(" |\n");
        }
        md.append("## hookgate vs baseline\n\n").append(table).append('\n');
        md.append("req/s: mean over the rounds (min–max); the ratio is taken round by round (each round ran both servers ")
                .append("back to back). Answered: requests answered 200 per second of the measured window. Sustained: the same ")
                .append("requests over the window plus the time the server's fan-out then took to publish every event it had ")
                .append("accepted (drain_s): both servers answer once the intake record is in Kafka and publish afterwards, ")
                .append("so only the sustained rate counts the whole work; the target is judged on it. Latencies: mean over the rounds. failed = non-2xx + connection errors + unanswered. ")
                .append("Closed loop: throughput is the capacity (each connection sends its next request when the previous ")
                .append("one is answered); its latency is not corrected and only describes that saturated state. Fixed rate: ")
                .append("latency is measured from each request's intended send time (coordinated omission corrected); ")
                .append("there the ratio only shows whether both kept up with the offered rate.\n\n");

        // ---- JMH
        Map<Integer, double[]> jmh = jmhFile != null && Files.exists(jmhFile) ? readJmh(jmhFile) : Map.of();
        StringBuilder jmhTable = new StringBuilder();
        double worstJmhRatio = Double.NaN;
        if (!jmh.isEmpty()) {
            jmhTable.append("| body | TolokaVerifier.verify ns/op | raw JCA HMAC ns/op | ratio |\n|---:|---:|---:|---:|\n");
            for (var e : jmh.entrySet()) {
                double[] v = e.getValue(); // verify, verifyErr, raw, rawErr
                double r = v[0] / v[2];
                worstJmhRatio = Double.isNaN(worstJmhRatio) ? r : Math.max(worstJmhRatio, r);
                jmhTable.append(String.format(Locale.ROOT, "| %d B | %.0f ± %.0f | %.0f ± %.0f | %.3f |%n",
                        e.getKey(), v[0], v[1], v[2], v[3], r));
            }
            md.append("## Verification cost (JMH)\n\n").append(jmhTable)
                    .append('\n').append(jmhSettings(jmhFile)).append(", average time per call (± is JMH's 99.9% ")
                    .append("error), run after the servers and the broker were stopped.\n\n");
        }

        // ---- targets
        List<Map<String, String>> at1000 = byScenario.getOrDefault("rate-1000-10", Map.of()).getOrDefault(HOOKGATE, List.of());
        Map<String, String> hookgateAt1000 = at1000.isEmpty() ? null : at1000.get(at1000.size() - 1);
        long rssMax = rows.stream().filter(r -> HOOKGATE.equals(r.get("server"))).mapToLong(r -> (long) num(r, "rss_max_mb"))
                .max().orElse(-1);
        StringBuilder targets = new StringBuilder("| target | measured | |\n|---|---|---|\n");
        for (String s : List.of("closed-1", "closed-10")) {
            if (ratios.containsKey(s)) {
                targets.append(String.format(Locale.ROOT, "| ≥ 0.8 × baseline req/s (%s, sustained) | %.2f × (answered only: %.2f ×) | %s |%n",
                        s, ratios.get(s), answeredRatios.getOrDefault(s, Double.NaN), ratios.get(s) >= 0.8 ? "met" : "**missed**"));
            }
        }
        if (hookgateAt1000 != null) {
            double p99 = num(hookgateAt1000, "p99_ms");
            targets.append(String.format(Locale.ROOT, "| p99 ≤ 15 ms at 1,000 req/s of 10-event batches | %.2f ms (%s non-2xx) | %s |%n",
                    p99, failures(List.of(hookgateAt1000)), p99 <= 15 && num(hookgateAt1000, "non2xx") == 0 ? "met" : "**missed**"));
        }
        if (!Double.isNaN(worstJmhRatio)) {
            targets.append(String.format(Locale.ROOT, "| verification ≤ 1.2 × raw HMAC (worst body size) | %.3f × | %s |%n",
                    worstJmhRatio, worstJmhRatio <= 1.2 ? "met" : "**missed**"));
        }
        if (rssMax > 0) {
            targets.append(String.format(Locale.ROOT, "| resident memory ≤ 400 MB under load | %d MB (max over all points) | %s |%n",
                    rssMax, rssMax <= 400 ? "met" : "**missed**"));
        }
        targets.append("| no memory growth over a 10-minute run | not measured by this command (it runs ~3 min of load) | — |\n");
        md.append("## Targets (issue 5)\n\n").append(targets).append('\n');

        // ---- every run
        md.append("## Every point\n\n| ").append(String.join(" | ", Load.COLUMNS)).append(" |\n|")
                .append("---|".repeat(Load.COLUMNS.length)).append('\n');
        for (Map<String, String> row : rows) {
            md.append("| ");
            for (String c : Load.COLUMNS) {
                md.append(row.getOrDefault(c, "")).append(" | ");
            }
            md.append('\n');
        }
        md.append("\nrss_* = VmRSS of the server under test, sampled every 0.5 s in the measured window; cpu_* = % of one ")
                .append("core (200 = both cores) over the window, server / broker / load generator; cpu_machine_pct = busy ")
                .append("share of all cores.\n\n![p99 latency vs throughput](latest.png)\n");

        Path chartFile = outDir.resolve("latest.png");
        chart(rows, chartFile);
        Files.writeString(outDir.resolve("latest.md"), md);

        System.out.println();
        System.out.println(table);
        if (!jmh.isEmpty()) {
            System.out.println(jmhTable);
        }
        System.out.println(targets);
        ratios.forEach((s, r) -> System.out.printf(Locale.ROOT, "RATIO hookgate/baseline %s: %.2f sustained (%.2f answered)%n",
                s, r, answeredRatios.getOrDefault(s, Double.NaN)));
        System.out.println("Wrote " + outDir.resolve("latest.md") + " and " + chartFile);
    }

    private static void chart(List<Map<String, String>> rows, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(1100).height(700)
                .title("hookgate vs bare Vert.x + KafkaProducer: p99 latency vs throughput (loopback, 2 cores, 1 broker)")
                .xAxisTitle("requests/s (closed loop: sustained, fan-out included; fixed rate: the offered rate, or the answered rate if lower)").yAxisTitle("p99 latency, ms (log)").build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setYAxisLogarithmic(true);
        // ticks between the decades too: the points lie between 1 and 300 ms, where decades alone label one line
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(9);
        Map<String, Color> colors = Map.of(HOOKGATE, new Color(0xD62728), BASELINE, new Color(0x1F77B4));
        for (String server : List.of(HOOKGATE, BASELINE)) {
            TreeMap<Double, Double> sweep = new TreeMap<>();
            for (Map<String, String> r : rows) {
                if (server.equals(r.get("server")) && num(r, "rate") > 0 && "10".equals(r.get("events"))) {
                    // the offered rate when the server kept up (answers in the window can exceed it by the
                    // warm-up's backlog), the answered rate when it did not
                    sweep.put(Math.min(num(r, "rate"), num(r, "req_s")), Math.max(0.01, num(r, "p99_ms")));
                }
            }
            if (!sweep.isEmpty()) {
                XYSeries s = chart.addSeries(server + ": fixed rate, 10-event batches (CO-corrected)",
                        new ArrayList<>(sweep.keySet()), new ArrayList<>(sweep.values()));
                s.setLineColor(colors.get(server));
                s.setMarkerColor(colors.get(server));
                s.setMarker(SeriesMarkers.CIRCLE);
            }
            for (String events : List.of("1", "10")) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                String conns = "";
                for (Map<String, String> r : rows) {
                    if (server.equals(r.get("server")) && num(r, "rate") == 0 && events.equals(r.get("events"))) {
                        // the sustained rate (fan-out included) where measured: the answered one can outrun it
                        xs.add(num(r, "sustained_req_s") >= 0 ? num(r, "sustained_req_s") : num(r, "req_s"));
                        ys.add(Math.max(0.01, num(r, "p99_ms")));
                        conns = r.get("connections");
                    }
                }
                if (!xs.isEmpty()) {
                    XYSeries s = chart.addSeries(server + ": closed loop, " + events + "-event, " + conns
                            + " conns (sustained rate, each round)", xs, ys);
                    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    s.setMarkerColor(colors.get(server));
                    s.setMarker("1".equals(events) ? SeriesMarkers.DIAMOND : SeriesMarkers.SQUARE);
                }
            }
        }
        XYSeries target = chart.addSeries("target: p99 ≤ 15 ms at 1,000 req/s (10-event)", List.of(1000.0), List.of(15.0));
        target.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        target.setMarker(SeriesMarkers.CROSS);
        target.setMarkerColor(Color.DARK_GRAY);
        target.setLineStyle(new BasicStroke(0f));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    // ---------------------------------------------------------------------------------------------

    private static String describe(String scenario, Map<String, String> row) {
        if (row == null) {
            return scenario;
        }
        return num(row, "rate") > 0
                ? String.format(Locale.ROOT, "fixed %s req/s, %s-event (%s)", row.get("rate"), row.get("events"), scenario)
                : String.format(Locale.ROOT, "closed loop, %s conns, %s-event (%s)", row.get("connections"), row.get("events"), scenario);
    }

    private static String percentiles(List<Map<String, String>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", mean(rows, "p50_ms"), mean(rows, "p99_ms"), mean(rows, "p999_ms"));
    }

    private static double mean(List<Map<String, String>> rows, String key) {
        return rows.stream().mapToDouble(r -> num(r, key)).average().orElse(0);
    }

    /**
     * hookgate's {@code column} over the baseline's, round by round, as "mean (min–max)"; the mean goes into
     * {@code into} under {@code scenario}. Empty when either server has no row.
     */
    private static String ratio(List<Map<String, String>> h, List<Map<String, String>> b, String column,
            Map<String, Double> into, String scenario) {
        int pairs = Math.min(h.size(), b.size());
        if (pairs == 0) {
            return "";
        }
        double[] r = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            r[i] = num(b.get(i), column) > 0 ? num(h.get(i), column) / num(b.get(i), column) : 0;
        }
        double mean = java.util.Arrays.stream(r).average().orElse(0);
        into.put(scenario, mean);
        return String.format(Locale.ROOT, "%.2f", mean) + (pairs > 1 ? String.format(Locale.ROOT, " (%.2f–%.2f)",
                java.util.Arrays.stream(r).min().orElse(0), java.util.Arrays.stream(r).max().orElse(0)) : "");
    }

    private static String meanRange(List<Map<String, String>> rows, String key) {
        if (rows.isEmpty()) {
            return "";
        }
        String mean = String.format(Locale.ROOT, "%,.0f", mean(rows, key));
        if (rows.size() == 1) {
            return mean;
        }
        return mean + String.format(Locale.ROOT, " (%,.0f–%,.0f)", rows.stream().mapToDouble(r -> num(r, key)).min().orElse(0),
                rows.stream().mapToDouble(r -> num(r, key)).max().orElse(0));
    }

    private static String failures(List<Map<String, String>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        long bad = 0;
        for (Map<String, String> row : rows) {
            bad += (long) (num(row, "non2xx") + num(row, "errors") + num(row, "unfinished"));
        }
        return Long.toString(bad);
    }

    private static String get(Map<String, String> row, String key) {
        return row == null ? "" : row.getOrDefault(key, "");
    }

    private static double num(Map<String, String> row, String key) {
        try {
            return Double.parseDouble(row.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Map<String, String>> readTsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split("\t");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, String> readMeta(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    meta.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        }
        return meta;
    }

    /** body size -> {verify, verify error, raw, raw error} in ns/op. */
    /** The settings the JMH run had, as its JSON records them (VerifyBench's annotations): "1 fork, 3 × 1 s warm-up, ...". */
    private static String jmhSettings(Path file) throws IOException {
        JsonNode first = new ObjectMapper().readTree(file.toFile()).path(0);
        return first.path("forks").asInt() + " fork, " + first.path("warmupIterations").asInt() + " × "
                + first.path("warmupTime").asText() + " warm-up, " + first.path("measurementIterations").asInt() + " × "
                + first.path("measurementTime").asText() + " measurement";
    }

    private static Map<Integer, double[]> readJmh(Path file) throws IOException {
        Map<Integer, double[]> out = new TreeMap<>();
        for (JsonNode b : new ObjectMapper().readTree(file.toFile())) {
            int size = b.path("params").path("bodyBytes").asInt();
            String name = b.path("benchmark").asText();
            double score = b.path("primaryMetric").path("score").asDouble();
            double error = b.path("primaryMetric").path("scoreError").asDouble();
            double[] v = out.computeIfAbsent(size, s -> new double[4]);
            int at = name.endsWith(".verify") ? 0 : 2;
            v[at] = score;
            v[at + 1] = Double.isNaN(error) ? 0 : error;
        }
        return out;
    }
}
