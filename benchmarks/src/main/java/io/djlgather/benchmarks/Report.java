package io.djlgather.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one JMH run (its {@link RunResult}s, or the JSON file JMH wrote for it) into the README's
 * markdown table. Every figure is a ratio or a
 * percentage of two scores of the same file (the same run), never an absolute target.
 */
final class Report {

    /**
     * One benchmark's score in nanoseconds per call: its fastest measurement iteration (other
     * work on a shared machine only ever adds time, so the best iteration is the least
     * disturbed one), with the median and slowest iteration shown beside it.
     */
    static final class Score {
        final double ns;
        final double medianNs;
        final double maxNs;

        Score(double ns, double medianNs, double maxNs) {
            this.ns = ns;
            this.medianNs = medianNs;
            this.maxNs = maxNs;
        }
    }

    private static final String PKG = "io.djlgather.benchmarks.";

    private final Map<String, Score> scores = new LinkedHashMap<>();
    /** Whether the scores are CPU time per call rather than wall time. */
    private boolean cpuTime;
    /** The eager-PyTorch CRF figures of the same run, or null. */
    private PythonCrf python;

    /**
     * The report of the runs JMH just made ({@code Runner.run()}'s results): every measurement
     * iteration of every fork.
     */
    static Report from(Collection<RunResult> runs) {
        Report report = new Report();
        for (RunResult run : runs) {
            BenchmarkParams params = run.getParams();
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : params.getParamsKeys()) {
                values.put(key, params.getParam(key));
            }
            List<Double> iterations = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    iterations.add(iteration.getPrimaryResult().getScore());
                    Result<?> c = iteration.getSecondaryResults().get(CpuTimeProfiler.LABEL);
                    if (c != null) {
                        cpu.add(c.getScore());
                    }
                }
            }
            Result<?> primary = run.getPrimaryResult();
            report.add(params.getBenchmark(), values, primary.getScoreUnit(), primary.getScore(),
                    iterations, cpu);
        }
        return report;
    }

    /**
     * The report of an earlier run, from the JSON file JMH wrote for it ({@code --report-only}:
     * JMH cannot read its results back, so this one path parses JMH's JSON format with Gson).
     */
    static Report read(Path json) throws IOException {
        Report report = new Report();
        JsonArray runs = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                .getAsJsonArray();
        for (JsonElement e : runs) {
            JsonObject run = e.getAsJsonObject();
            Map<String, String> values = new LinkedHashMap<>();
            if (run.has("params")) {
                for (Map.Entry<String, JsonElement> p : run.getAsJsonObject("params").entrySet()) {
                    values.put(p.getKey(), p.getValue().getAsString());
                }
            }
            JsonObject metric = run.getAsJsonObject("primaryMetric");
            List<Double> iterations = raw(metric);
            List<Double> cpu = new ArrayList<>();
            JsonObject secondary = run.getAsJsonObject("secondaryMetrics");
            if (secondary != null && secondary.has(CpuTimeProfiler.LABEL)) {
                cpu = raw(secondary.getAsJsonObject(CpuTimeProfiler.LABEL));
            }
            report.add(run.get("benchmark").getAsString(), values,
                    metric.get("scoreUnit").getAsString(), metric.get("score").getAsDouble(),
                    iterations, cpu);
        }
        return report;
    }

    private static List<Double> raw(JsonObject metric) {
        List<Double> iterations = new ArrayList<>();
        for (JsonElement fork : metric.getAsJsonArray("rawData")) {
            for (JsonElement it : fork.getAsJsonArray()) {
                iterations.add(it.getAsDouble());
            }
        }
        return iterations;
    }

    /**
     * Adds one benchmark's iterations (in {@code unit}), named Class.method@param=value...; with
     * the CPU time per call of each iteration ({@link CpuTimeProfiler}, ns/op) when the run
     * recorded it, the score is that CPU time (see {@link #markdown}).
     */
    private void add(String benchmark, Map<String, String> params, String unit, double score,
            List<Double> wall, List<Double> cpu) {
        List<Double> raw = wall;
        if (!cpu.isEmpty()) {
            raw = cpu;
            unit = "ns/op";
            cpuTime = true;
        }
        String name = benchmark.startsWith(PKG) ? benchmark.substring(PKG.length()) : benchmark;
        for (Map.Entry<String, String> p : params.entrySet()) {
            name += "@" + p.getKey() + "=" + p.getValue();
        }
        double scale = toNanos(unit);
        List<Double> iterations = new ArrayList<>(raw.size());
        for (double v : raw) {
            iterations.add(v * scale);
        }
        if (iterations.isEmpty()) {
            iterations.add(score * scale);
        }
        Collections.sort(iterations);
        int k = iterations.size();
        double median = k % 2 == 1 ? iterations.get(k / 2)
                : (iterations.get(k / 2 - 1) + iterations.get(k / 2)) / 2;
        scores.put(name, new Score(iterations.get(0), median, iterations.get(k - 1)));
    }

    private static double toNanos(String unit) {
        switch (unit) {
            case "ns/op": return 1;
            case "us/op": return 1e3;
            case "ms/op": return 1e6;
            case "s/op": return 1e9;
            default: throw new IllegalArgumentException(
                    "Report: scoreUnit " + unit + " is not a time per op; expected ns/op, us/op,"
                            + " ms/op or s/op");
        }
    }

    void setPython(PythonCrf python) {
        this.python = python;
    }

    Score get(String name) {
        return scores.get(name);
    }

    boolean has(String name) {
        return scores.containsKey(name);
    }

    boolean hasScaling() {
        return !scaling("gather").isEmpty() || !scaling("scatterAdd").isEmpty();
    }

    /** The scaling series of one op: N to nanoseconds per call, by N. */
    TreeMap<Long, Double> scaling(String op) {
        TreeMap<Long, Double> series = new TreeMap<>();
        String prefix = "ScalingBench." + op + "@log2n=";
        for (Map.Entry<String, Score> e : scores.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                series.put(1L << Integer.parseInt(e.getKey().substring(prefix.length())),
                        e.getValue().ns);
            }
        }
        return series;
    }

    /**
     * The floor and slope of t(N) = a + b N for a scaling series: a is the shortest call time
     * (that of a small N), b the smallest time per element (the in-cache linear cost); the knee a / b is the N at which the linear
     * part equals the floor.
     */
    static double[] floorAndSlope(TreeMap<Long, Double> series) {
        double a = Collections.min(series.values());
        double b = Double.MAX_VALUE;
        for (Map.Entry<Long, Double> e : series.entrySet()) {
            b = Math.min(b, e.getValue() / e.getKey());
        }
        return new double[] {a, b, a / b};
    }

    // -------------------------------------------------------------------------------------------

    String markdown(boolean quick) {
        StringBuilder sb = new StringBuilder();
        sb.append((cpuTime
                ? "Times are the benchmark JVM's CPU time per call (CpuTimeProfiler: with one"
                        + " PyTorch thread, the wall time of an idle machine, without the time"
                        + " spent waiting for a core on a shared one)"
                : "Times are wall time per call")
                + ": the best measurement iteration (median, worst) of "
                + (quick ? "5 (quick mode: 1 fork, 5 x 0.3 s)" : "10 (2 forks x 5 x 1 s)")
                + "; every ratio divides two best iterations of this same run.\n\n");
        tiny(sb);
        large(sb);
        pixels(sb);
        crf(sb);
        heads(sb);
        scaling(sb);
        return sb.toString();
    }

    private void tiny(StringBuilder sb) {
        String base = "TinyOpsBench.nativeGather";
        if (!has(base)) {
            return;
        }
        sb.append("### 1. Call overhead, [3,4] float32 (target: every op within 4x of"
                + " NDArray.gather; an int32 index within 1.1x of int64 where the kernel reads"
                + " int32)\n\n");
        sb.append("| op | µs/call | × NDArray.gather | target ≤ 4x |\n|---|---:|---:|---|\n");
        row(sb, "NDArray.gather (DJL native, baseline)", base, base, "µs", Double.NaN);
        String[][] ops = {
            {"gather", "gather"},
            {"scatter (src)", "scatter"},
            {"scatter (value)", "scatterValue"},
            {"scatterAdd", "scatterAdd"},
            {"scatterReduce (amax)", "scatterReduce"},
            {"takeAlongAxis", "takeAlongAxis"},
            {"indexSelect", "indexSelect"},
            {"indexAdd", "indexAdd"},
            {"indexCopy", "indexCopy"},
            {"indexFill", "indexFill"},
            {"indexReduce (amax)", "indexReduce"},
            {"take", "take"},
            {"put", "put"},
            {"*diagnostic:* scatter_add library method alone (no checks, no OpCall)",
                "scatterAddLibraryOnly"},
        };
        for (String[] op : ops) {
            boolean diagnostic = op[0].startsWith("*");
            row(sb, op[0], "TinyOpsBench." + op[1], base, "µs", diagnostic ? Double.NaN : 4.0);
        }
        sb.append("\n");
        String[][] widths = {
            {"indexSelect", "indexSelect", "met where the kernel reads int32"},
            {"indexAdd", "indexAdd", "met where the kernel reads int32"},
            {"indexReduce (amax)", "indexReduce", "met where the kernel reads int32"},
            {"gather (PyTorch's gather takes int64 only: one conversion per call)", "gather", ""},
        };
        if (has("TinyOpsBench.indexSelectInt32Index")) {
            sb.append("| op | int32 index µs/call | int64 index µs/call | int32 ÷ int64 |"
                    + " target ≤ 1.1x |\n|---|---:|---:|---:|---|\n");
            for (String[] w : widths) {
                Score narrow = get("TinyOpsBench." + w[1] + "Int32Index");
                Score wide = get("TinyOpsBench." + w[1]);
                if (narrow == null || wide == null) {
                    continue;
                }
                double ratio = narrow.ns / wide.ns;
                String verdict = w[2].isEmpty() ? "n/a (kernel needs int64)"
                        : ratio <= 1.1 ? "met" : "**missed** by " + f2(ratio / 1.1) + "x";
                sb.append("| ").append(w[0]).append(" | ").append(time(narrow, 1e3))
                        .append(" | ").append(time(wide, 1e3)).append(" | ").append(f2(ratio))
                        .append("x | ").append(verdict).append(" |\n");
            }
            sb.append("\n");
        }
    }

    private void large(StringBuilder sb) {
        String base = "LargeOpsBench.nativeGather";
        String copy = "LargeOpsBench.copy";
        if (!has(base) || !has(copy)) {
            return;
        }
        long n = (long) LargeOpsBench.SIDE * LargeOpsBench.SIDE;
        long k = LargeOpsBench.SIDE;
        sb.append("### 2. Large arrays, 2^24 float32 ([4096,4096]), random int64 indices"
                + " (target: gather ≤ 1.05x NDArray.gather)\n\n");
        sb.append("| op | ms/call | × NDArray.gather | bytes moved | GB/s | % of copy"
                + " bandwidth |\n|---|---:|---:|---|---:|---:|\n");
        double copyBw = 8.0 * n / get(copy).ns;
        Object[][] ops = {
            {"NDArray.duplicate() (copy, bandwidth reference)", "copy", "8N", 8 * n},
            {"NDArray.gather (DJL native, time reference)", "nativeGather", "16N", 16 * n},
            {"gather (target ≤ 1.05x)", "gather", "16N", 16 * n},
            {"scatter (src)", "scatter", "20N", 20 * n},
            {"scatter (value)", "scatterValue", "16N", 16 * n},
            {"scatterAdd", "scatterAdd", "20N", 20 * n},
            {"scatterReduce (amax)", "scatterReduce", "20N", 20 * n},
            {"takeAlongAxis", "takeAlongAxis", "16N", 16 * n},
            {"indexSelect (axis 0, 4096 rows)", "indexSelect", "8N + 8K", 8 * n + 8 * k},
            {"indexAdd (axis 0)", "indexAdd", "12N + 8K", 12 * n + 8 * k},
            {"indexCopy (axis 0)", "indexCopy", "12N + 8K", 12 * n + 8 * k},
            {"indexFill (axis 0)", "indexFill", "8N + 8K", 8 * n + 8 * k},
            {"indexReduce (axis 0, amax)", "indexReduce", "12N + 8K", 12 * n + 8 * k},
            {"take (flat index, 2^24 positions)", "take", "16N", 16 * n},
            {"put (flat index)", "put", "20N", 20 * n},
        };
        for (Object[] op : ops) {
            Score s = get("LargeOpsBench." + op[1]);
            if (s == null) {
                continue;
            }
            double bytes = ((Number) op[3]).doubleValue();
            double bw = bytes / s.ns; // bytes per ns = GB/s
            String ratio = f2(s.ns / get(base).ns) + "x";
            if (op[1].equals("gather")) {
                ratio += s.ns / get(base).ns <= 1.05 ? " (met)" : " (**missed**)";
            }
            sb.append("| ").append(op[0]).append(" | ").append(time(s, 1e6)).append(" | ")
                    .append(ratio).append(" | ").append(op[2]).append(" | ")
                    .append(f2(bw)).append(" | ").append(f0(100 * bw / copyBw)).append("% |\n");
        }
        sb.append("\nBytes moved = every operand the op must read plus the result it writes, each"
                + " counted once: N = 2^24 elements, K = 4096 slice indices; float32 = 4 bytes,"
                + " int64 index = 8 bytes (gather: 4N input read + 8N index + 4N output; scatter"
                + " ops: 4N input + 8N index + 4N src + 4N output; slice ops along axis 0 read and"
                + " write whole rows). Bandwidth = bytes moved / time; the reference is"
                + " duplicate()'s 8N / time. Per-element indices stay"
                + " within one 16 KiB row, so their reads hit cache and can beat the copy's"
                + " bytes per second; take and put jump across the whole 64 MiB array.\n\n");
    }

    private void pixels(StringBuilder sb) {
        if (!has("PixelBench.gatherPixels")) {
            return;
        }
        sb.append("### 3. Pixels, B=8, C=256, H=W=64, N=1024 (targets: gatherPixels ≤ 1.0x NDIndex"
                + " advanced indexing on the same inputs, channels-first and channels-last;"
                + " gatherPixels ≥ 2x faster than the two-step gather)\n\n");
        sb.append("| implementation | ms/call | × baseline | baseline | target |\n"
                + "|---|---:|---:|---|---|\n");
        String[][] rows = {
            {"gatherPixels, channels-first", "gatherPixels", "ndIndex", "NDIndex", "1.0"},
            {"NDIndex advanced indexing, channels-first", "ndIndex", "", "", ""},
            {"gatherPixels, channels-last ([B,C,H,W] view of [B,H,W,C])",
                "gatherPixelsChannelsLast", "ndIndexChannelsLast", "NDIndex", "1.0"},
            {"NDIndex advanced indexing, channels-last", "ndIndexChannelsLast", "", "", ""},
            {"two-step gather, done correctly (rows along H, then column along W)",
                "twoStepGather", "gatherPixels", "gatherPixels", "≥ 2x slower"},
            {"sampleBilinear (ZEROS)", "sampleBilinear", "sampleBilinearDjlOps",
                "DJL ops", ""},
            {"the same bilinear sample composed of DJL ops (4 gathers, weights)",
                "sampleBilinearDjlOps", "", "", ""},
        };
        for (String[] r : rows) {
            Score s = get("PixelBench." + r[1]);
            if (s == null) {
                continue;
            }
            sb.append("| ").append(r[0]).append(" | ").append(time(s, 1e6)).append(" | ");
            Score base = r[2].isEmpty() ? null : get("PixelBench." + r[2]);
            if (base != null) {
                double ratio = s.ns / base.ns;
                sb.append(f2(ratio)).append("x | ").append(r[3]).append(" | ");
                if (r[4].equals("1.0")) {
                    sb.append(ratio <= 1.0 ? "met" : "**missed** by " + f2(ratio) + "x");
                } else if (!r[4].isEmpty()) {
                    sb.append(ratio >= 2 ? "met (" + f2(ratio) + "x)" : "**missed**");
                }
            } else {
                sb.append(" | | ");
            }
            sb.append(" |\n");
        }
        sb.append("\n");
    }

    private void crf(StringBuilder sb) {
        if (!has("CrfBench.logPartitionFused") && !has("CrfBench.viterbiFused")) {
            return;
        }
        sb.append("### 4. CRF, B=32, T=64, C=9, float32, one thread (targets: fused ≥ 2x faster"
                + " than pytorch-crf's algorithm in eager PyTorch; op-by-op DJL loop for"
                + " reference)\n\n");
        sb.append("| computation | fused ms/call | eager PyTorch ms/call | PyTorch ÷ fused |"
                + " target ≥ 2x | op-by-op DJL loop ms/call | loop ÷ fused |\n"
                + "|---|---:|---:|---:|---|---:|---:|\n");
        String[][] rows = {{"log-partition (forward algorithm)", "logPartitionFused",
            "logPartitionLoop", "logPartition"},
            {"Viterbi decode", "viterbiFused", "viterbiLoop", "viterbiDecode"},
            {"training step (CrfLoss forward + backward)", "trainingStep", "", "trainingStep"}};
        for (String[] r : rows) {
            Score fused = get("CrfBench." + r[1]);
            if (fused == null) {
                continue;
            }
            sb.append("| ").append(r[0]).append(" | ").append(time(fused, 1e6)).append(" | ");
            double[] py = python == null ? null : python.rows.get(r[3]);
            if (py != null) {
                // CPU time against CPU time, or wall against wall, as the JMH scores are
                double ms = cpuTime ? py[0] : py[3];
                double speed = ms * 1e6 / fused.ns;
                sb.append(cpuTime ? f(py[0]) + " (" + f(py[1]) + ", " + f(py[2]) + ")" : f(py[3]))
                        .append(" | ").append(f2(speed)).append("x | ")
                        .append(speed >= 2 ? "met" : "**missed**");
            } else {
                sb.append("not run | | ");
            }
            Score loop = r[2].isEmpty() ? null : get("CrfBench." + r[2]);
            if (loop != null) {
                sb.append(" | ").append(time(loop, 1e6)).append(" | ")
                        .append(f2(loop.ns / fused.ns)).append("x |\n");
            } else {
                sb.append(" | | |\n");
            }
        }
        sb.append("\nEager PyTorch: `benchmarks/python/crf_reference.py` (pytorch-crf's"
                + " algorithm, one thread, same shapes), ")
                .append(python == null ? "not run" : python.ran() ? python.note
                        : python.note)
                .append(". The op-by-op loop runs the same recursion in Java over T = 64 steps,"
                        + " several DJL NDArray ops per step; it and the fused calls are checked"
                        + " against each other once in the benchmark's setup.\n\n");
    }


    private void heads(StringBuilder sb) {
        String bcast = "HeadsBench.broadcastIndex";
        String mat = "HeadsBench.materializedIndex";
        if (!has(bcast) || !has(mat)) {
            return;
        }
        long b = HeadsBench.B;
        long h = HeadsBench.H;
        long t = HeadsBench.T;
        long d = HeadsBench.D;
        sb.append("### 5. selectHeads, attn [B,H,T,D] = [" + b + "," + h + "," + t + "," + d
                + "], heads [B,T]: broadcast vs materialized index\n\n");
        sb.append("| index | ms/call | × broadcast | index bytes (int64) |\n"
                + "|---|---:|---:|---:|\n");
        double base = get(bcast).ns;
        sb.append("| broadcast (expanded view of [B,1,T,1]) | ").append(time(get(bcast), 1e6))
                .append(" | 1.00x | ").append(bytes(b * t * 8)).append(" |\n");
        sb.append("| materialized (repeated to [B,1,T,D] in each call) | ").append(time(get(mat), 1e6))
                .append(" | ").append(f2(get(mat).ns / base)).append("x | ")
                .append(bytes(b * t * d * 8)).append(" |\n");
        Score pre = get("HeadsBench.materializedIndexPrebuilt");
        if (pre != null) {
            sb.append("| materialized, prebuilt once (the gather alone) | ").append(time(pre, 1e6))
                    .append(" | ").append(f2(pre.ns / base)).append("x | ")
                    .append(bytes(b * t * d * 8)).append(" (held) |\n");
        }
        sb.append("\nIndex bytes are computed, not measured: JMH's GC profiler sees the Java heap"
                + " only, and the index lives in native (libtorch) memory. The materialized index"
                + " is a real [B,1,T,D] int64 tensor (B*T*D*8 bytes), built inside the timed call;"
                + " the broadcast one is an expanded view of the [B,T] index (B*T*8 bytes), which"
                + " PyTorch's gather reads without copying.\n\n");
    }

    private void scaling(StringBuilder sb) {
        if (!hasScaling()) {
            return;
        }
        TreeMap<Long, Double> g = scaling("gather");
        TreeMap<Long, Double> s = scaling("scatterAdd");
        sb.append("### 6. Scaling, 1-D float32, N random int64 positions in [0,N)"
                + " (plot: docs/scaling.png)\n\n");
        sb.append("| N | gather µs/call | gather ns/element | scatterAdd µs/call |"
                + " scatterAdd ns/element |\n|---:|---:|---:|---:|---:|\n");
        TreeMap<Long, Boolean> ns = new TreeMap<>();
        g.keySet().forEach(x -> ns.put(x, true));
        s.keySet().forEach(x -> ns.put(x, true));
        for (long n : ns.keySet()) {
            sb.append("| 2^").append(Long.numberOfTrailingZeros(n)).append(" | ")
                    .append(g.containsKey(n) ? f2(g.get(n) / 1e3) : "").append(" | ")
                    .append(g.containsKey(n) ? f2(g.get(n) / n) : "").append(" | ")
                    .append(s.containsKey(n) ? f2(s.get(n) / 1e3) : "").append(" | ")
                    .append(s.containsKey(n) ? f2(s.get(n) / n) : "").append(" |\n");
        }
        sb.append("\n");
        List<String> knees = new ArrayList<>();
        for (String op : new String[] {"gather", "scatterAdd"}) {
            TreeMap<Long, Double> series = scaling(op);
            if (series.size() >= 2) {
                double[] fit = floorAndSlope(series);
                knees.add(op + ": floor ≈ " + f1(fit[0] / 1e3) + " µs/call, linear cost ≈ "
                        + f2(fit[1]) + " ns/element, knee N ≈ " + f0(fit[2]) + " (2^"
                        + f1(Math.log(fit[2]) / Math.log(2)) + ")");
            }
        }
        sb.append("Model t(N) = floor + N × cost (floor: the shortest call; cost: the smallest"
                + " time per element, i.e. while the arrays fit in cache); below the knee"
                + " N = floor / cost the per-call floor dominates, above it the cost is linear in"
                + " N. Past a few MiB the random positions miss the caches and the cost per"
                + " element climbs again (memory latency, not call overhead). ")
                .append(String.join("; ", knees)).append(".\n");
    }

    // -------------------------------------------------------------------------------------------

    private void row(StringBuilder sb, String label, String name, String base, String unit,
            double target) {
        Score s = get(name);
        if (s == null) {
            return;
        }
        double ratio = s.ns / get(base).ns;
        sb.append("| ").append(label).append(" | ").append(time(s, 1e3)).append(" | ")
                .append(f2(ratio)).append("x | ");
        if (!Double.isNaN(target)) {
            sb.append(ratio <= target ? "met" : "**missed** by " + f2(ratio / target) + "x");
        }
        sb.append(" |\n");
    }

    private static String time(Score s, double scale) {
        return f(s.ns / scale) + " (" + f(s.medianNs / scale) + ", " + f(s.maxNs / scale) + ")";
    }

    private static String f(double v) {
        return v >= 100 ? f0(v) : v >= 10 ? f1(v) : f2(v);
    }

    private static String bytes(long b) {
        return b >= 1 << 20 ? f2(b / 1048576.0) + " MiB" : b >= 1 << 10 ? f1(b / 1024.0) + " KiB"
                : b + " B";
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
