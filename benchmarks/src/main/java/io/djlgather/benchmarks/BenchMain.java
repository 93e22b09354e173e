package io.djlgather.benchmarks;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmark suite with JMH, writes JMH's JSON to the results folder, then turns it into
 * the markdown table ({@code table.md}, also printed) and the scaling plot ({@code
 * docs/scaling.png}).
 *
 * <p>Usage (from the repository root):
 *
 * <pre>
 * mvn -q -pl benchmarks -am compile exec:exec -Dbench.args=--quick
 * mvn -q -pl benchmarks -am compile exec:exec             (full run)
 * mvn -q -pl benchmarks -am compile exec:exec \
 *     -Dbench.args="--quick --include=TinyOpsBench"
 * mvn -q -pl benchmarks -am compile exec:exec \
 *     -Dbench.args="--quick --report-only"
 * </pre>
 *
 * <p>The root pom names an executable ({@code java}) for exec-maven-plugin in every module:
 * version 3.5.1 checks that one is set before it honours the other modules' {@code skip=true}.
 *
 * <p>Arguments (each may also be written without the leading dashes; one argument may hold
 * several separated by spaces): {@code --quick} (1 fork, 2 x 0.4 s warm-up, 5 x 0.3 s
 * measurement, every other scaling size; under 10 minutes on 2 cores), {@code --threads=N}
 * (PyTorch intra-op threads in the benchmark JVMs, default 1: on a small machine shared with
 * other work, a second spinning OpenMP thread makes timings erratic), {@code --include=REGEX}
 * (benchmarks to run, JMH's include pattern; the table then covers only those), {@code
 * --report-only} (redraw the table and plot from the last JSON of that mode), {@code
 * results=DIR}, {@code docs=DIR}.
 */
public final class BenchMain {

    static final String COMMAND =
            "mvn -q -pl benchmarks -am compile exec:exec";

    private BenchMain() {}

    public static void main(String[] args) throws IOException, RunnerException {
        boolean quick = false;
        boolean reportOnly = false;
        int threads = 1;
        List<String> includes = new ArrayList<>();
        Path results = Paths.get("results");
        Path docs = Paths.get("../docs");
        for (String arg : args) {
            for (String token : arg.trim().split("\\s+")) {
                String t = token.replaceFirst("^--?", "");
                if (t.isEmpty() || t.equals("full")) {
                    continue;
                } else if (t.equals("quick")) {
                    quick = true;
                } else if (t.equals("report-only")) {
                    reportOnly = true;
                } else if (t.startsWith("threads=")) {
                    threads = Integer.parseInt(t.substring("threads=".length()));
                } else if (t.startsWith("include=")) {
                    includes.add(t.substring("include=".length()));
                } else if (t.startsWith("results=")) {
                    results = Paths.get(t.substring("results=".length()));
                } else if (t.startsWith("docs=")) {
                    docs = Paths.get(t.substring("docs=".length()));
                } else {
                    throw new IllegalArgumentException(
                            "BenchMain: argument " + token + " is unknown; expected --quick,"
                                    + " --include=REGEX, --threads=N, --report-only, results=DIR or docs=DIR");
                }
            }
        }
        String mode = quick ? "quick" : "full";
        Files.createDirectories(results);
        Path json = results.resolve("jmh-" + mode + ".json").toAbsolutePath();
        Path machine = results.resolve("machine-" + mode + ".md");

        if (!reportOnly) {
            String loadBefore = Machine.loadAverage();
            long start = System.nanoTime();
            new Runner(options(quick, includes, threads, json)).run();
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            List<String> shown = new ArrayList<>();
            for (String arg : args) {
                for (String token : arg.trim().split("\\s+")) {
                    if (!token.isEmpty() && !token.matches("(--?)?(results|docs)=.*")
                            && !token.matches("(--?)?full")) {
                        shown.add(token);
                    }
                }
            }
            String command = COMMAND
                    + (shown.isEmpty() ? "" : " -Dbench.args=\"" + String.join(" ", shown) + "\"");
            String text = "- Machine: " + Machine.describe() + "; PyTorch intra-op threads: "
                    + threads + "\n"
                    + "- Command: `" + command + "` (" + mode + " mode, JMH run took "
                    + seconds / 60 + " min " + seconds % 60 + " s)\n"
                    + "- Load average (1/5/15 min) before: " + loadBefore + "; after: "
                    + Machine.loadAverage() + "\n"
                    + "- Date: " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)
                    + "\n";
            Files.writeString(machine, text, StandardCharsets.UTF_8);
        }

        Report report = Report.read(json);
        String header = Files.exists(machine)
                ? Files.readString(machine, StandardCharsets.UTF_8) : "";
        String table = header + "\n" + report.markdown(quick);
        Files.writeString(results.resolve("table.md"), table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
        if (report.hasScaling()) {
            Files.createDirectories(docs);
            Path png = docs.resolve("scaling.png");
            ScalingPlot.draw(report, png);
            System.out.println("Scaling plot: " + png.toAbsolutePath().normalize());
        }
        System.out.println("JMH results: " + json);
        System.out.println("Table: " + results.resolve("table.md").toAbsolutePath().normalize());
    }

    static org.openjdk.jmh.runner.options.Options options(
            boolean quick, List<String> includes, int threads, Path json) {
        ChainedOptionsBuilder b = new OptionsBuilder();
        if (includes.isEmpty()) {
            b.include(BenchMain.class.getPackageName().replace(".", "\\.") + "\\..*Bench\\..*");
        } else {
            for (String include : includes) {
                b.include(include);
            }
        }
        b.jvmArgsAppend(
                "-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"),
                "-Dai.djl.default_engine=PyTorch",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Xmx2g");
        if (quick) {
            b.forks(1)
                    .warmupIterations(2)
                    .warmupTime(TimeValue.milliseconds(400))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.milliseconds(300))
                    .param("log2n", "10", "12", "14", "16", "18", "20", "22", "24");
        } else {
            b.forks(2)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(1));
        }
        return b.shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
    }
}
