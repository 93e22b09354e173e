package io.djlgather.benchmarks;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.openjdk.jmh.results.RunResult;
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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

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
 * <p>Options (picocli; {@code --help} lists them): {@code --quick}, {@code --threads=N}
 * (PyTorch intra-op threads in the benchmark JVMs, default 1: on a small machine shared with
 * other work, a second spinning OpenMP thread makes timings erratic), {@code --include=REGEX},
 * {@code --report-only}, {@code --results=DIR}, {@code --docs=DIR}. Maven passes {@code
 * -Dbench.args} as one argument: it may hold several options separated by spaces, each also
 * without its dashes ({@code quick include=Tiny}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs the benchmark suite with JMH and writes the table and the scaling plot.")
public final class BenchMain implements Callable<Integer> {

    static final String COMMAND =
            "mvn -q -pl benchmarks -am compile exec:exec";

    @Option(names = "--quick", description = "1 fork, 2 x 0.4 s warm-up, 5 x 0.3 s measurement,"
            + " every other scaling size (under 10 minutes on 2 cores).")
    boolean quick;

    @Option(names = "--report-only",
            description = "Redraw the table and plot from the last JSON of that mode, without running.")
    boolean reportOnly;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "PyTorch intra-op threads in the benchmark JVMs (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Benchmarks to run (JMH's include pattern; repeatable); the table then"
                    + " covers only those.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--results", defaultValue = "results", paramLabel = "DIR",
            description = "Where JMH's JSON, the machine notes and table.md go.")
    Path results;

    @Option(names = "--docs", defaultValue = "../docs", paramLabel = "DIR",
            description = "Where scaling.png goes.")
    Path docs;

    /** The arguments as given (normalized), for the command line shown in the notes. */
    private List<String> shown = List.of();

    private BenchMain() {}

    /**
     * Runs the suite.
     *
     * @param args the options; see the class doc
     */
    public static void main(String[] args) {
        BenchMain main = new BenchMain();
        String[] tokens = tokens(args);
        main.shown = Arrays.stream(tokens)
                .filter(t -> !t.startsWith("--results") && !t.startsWith("--docs"))
                .toList();
        System.exit(new CommandLine(main).execute(tokens));
    }

    /**
     * Maven passes {@code -Dbench.args} as one argument, possibly empty or {@code full} (the
     * default mode), possibly several options separated by spaces, each perhaps without its
     * dashes: split and normalize before picocli parses.
     */
    static String[] tokens(String[] args) {
        List<String> tokens = new ArrayList<>();
        for (String arg : args) {
            for (String token : arg.trim().split("\\s+")) {
                if (token.isEmpty() || token.replaceFirst("^--?", "").equals("full")) {
                    continue;
                }
                tokens.add(token.startsWith("-") ? token.replaceFirst("^-(?!-)", "--") : "--" + token);
            }
        }
        return tokens.toArray(String[]::new);
    }

    @Override
    public Integer call() throws IOException, RunnerException {
        String mode = quick ? "quick" : "full";
        Files.createDirectories(results);
        Path json = results.resolve("jmh-" + mode + ".json").toAbsolutePath();
        Path machine = results.resolve("machine-" + mode + ".md");

        Report report;
        if (reportOnly) {
            report = Report.read(json);
        } else {
            String loadBefore = Machine.loadAverage();
            boolean crf = includes.isEmpty() || includes.stream().anyMatch(i -> i.contains("Crf"));
            // the Python reference runs before and after JMH; each figure is the better of the two
            PythonCrf python = crf ? PythonCrf.run(threads) : null;
            long start = System.nanoTime();
            Collection<RunResult> runs = new Runner(options(quick, includes, threads, json)).run();
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            if (python != null) {
                python = python.better(PythonCrf.run(threads));
                python.write(results.resolve("python-crf-" + mode + ".txt"));
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
            report = Report.from(runs);
        }

        Path pythonFile = results.resolve("python-crf-" + mode + ".txt");
        if (Files.exists(pythonFile)) {
            report.setPython(PythonCrf.read(pythonFile));
        }
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
        return 0;
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
        b.addProfiler(CpuTimeProfiler.class);
        return b.shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
    }
}
