package io.djlgather.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CRF figures of pytorch-crf's algorithm in eager PyTorch ({@code python/crf_reference.py},
 * same shapes and thread count as {@link CrfBench}), run by {@link BenchMain} where a python3
 * with torch is present ({@code /usr/bin/python3} first: Debian's {@code python3-torch}).
 * Without one, the table says "not run" and why.
 */
final class PythonCrf {

    static final String SCRIPT = "python/crf_reference.py";

    /** Per computation (logPartition, viterbiDecode, trainingStep): ms per call, CPU best,
     * median, worst, and the best wall time. */
    final Map<String, double[]> rows;
    /** The torch version line, or why it did not run. */
    final String note;

    private PythonCrf(Map<String, double[]> rows, String note) {
        this.rows = rows;
        this.note = note;
    }

    boolean ran() {
        return !rows.isEmpty();
    }

    /** Runs the script once (about 10 s); never throws: a failure becomes "not run". */
    static PythonCrf run(int threads) {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
                : "python3";
        List<String> lines = new ArrayList<>();
        try {
            Process p = new ProcessBuilder(python, SCRIPT, "--threads", String.valueOf(threads))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new PythonCrf(Map.of(), "not run: " + python + " " + SCRIPT + " timed out");
            }
            lines.addAll(out.lines().toList());
            if (p.exitValue() != 0) {
                String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
                return new PythonCrf(Map.of(), last.startsWith("not run") ? last
                        : "not run: " + python + " exited with " + p.exitValue() + ": " + last);
            }
        } catch (IOException e) {
            return new PythonCrf(Map.of(), "not run: " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PythonCrf(Map.of(), "not run: interrupted");
        }
        return parse(lines);
    }

    private static PythonCrf parse(List<String> lines) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        String note = "";
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (line.startsWith("not run")) {
                return new PythonCrf(Map.of(), line);
            } else if (parts.length > 0 && parts[0].equals("torch")) {
                note = line.trim();
            } else if (parts.length == 5) {
                double[] v = new double[4];
                for (int i = 0; i < 4; i++) {
                    v[i] = Double.parseDouble(parts[i + 1]);
                }
                rows.put(parts[0], v);
            }
        }
        return new PythonCrf(rows, note);
    }

    /** Per row and column, the smaller figure of this run and {@code other}. */
    PythonCrf better(PythonCrf other) {
        if (!ran()) {
            return other;
        }
        if (!other.ran()) {
            return this;
        }
        Map<String, double[]> best = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            double[] a = e.getValue();
            double[] b = other.rows.getOrDefault(e.getKey(), a);
            double[] m = new double[4];
            for (int i = 0; i < 4; i++) {
                m[i] = Math.min(a[i], b[i]);
            }
            best.put(e.getKey(), m);
        }
        return new PythonCrf(best, note + " (better of two runs)");
    }

    /** Writes the rows in the script's own format, for {@code --report-only}. */
    void write(Path file) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            double[] v = e.getValue();
            sb.append(e.getKey());
            for (double x : v) {
                sb.append(' ').append(x);
            }
            sb.append('\n');
        }
        sb.append(ran() ? note : note.isEmpty() ? "not run" : note).append('\n');
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PythonCrf read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }
}
