package io.djlgather.spark;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.SyntheticCorpus;
import io.djlgather.samples.ner.TaggedSentence;
import io.djlgather.samples.serve.ProcessMemory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-tag}: rows per second of {@code tag} on generated sentences in {@code local[1]}
 * and {@code local[2]}, against the plain single-JVM loop ({@code batchPredict} in groups of
 * {@code --batch-size} over the same sentences with the same model), in one run so that the ratios
 * compare like with like; {@code --rounds} rounds of the three, medians reported. Also prints this JVM's RSS (the executor's, in local mode) at the start
 * and the end, and checks that every Spark row's tags equal the loop's.
 */
@Command(
        name = "bench-tag",
        mixinStandardHelpOptions = true,
        description = "Benchmarks tag: local[1], local[2] and the single-JVM Predictor loop on the same generated sentences.")
public final class TagBenchmark implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR|URL", description = "The ner-bilstm-crf model folder.")
    String model;

    @Option(names = "--sentences", defaultValue = "20000", description = "Generated sentences (default: ${DEFAULT-VALUE}).")
    int sentences;

    @Option(names = "--batch-size", defaultValue = "32", description = "Sentences per batchPredict (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the input in both Spark runs (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of the three runs; the table shows medians (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seed", defaultValue = "11", description = "Seed of the generated corpus (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work", paramLabel = "DIR", description = "Folder for the input and outputs (default: a new temporary folder).")
    Path work;

    /**
     * One measured pass.
     *
     * @param name what ran
     * @param rows rows produced
     * @param seconds wall time
     * @param differing rows whose tags differ from the loop's
     */
    public record Pass(String name, long rows, double seconds, long differing) {

        /** Returns rows per second. */
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        run(System.out);
        return 0;
    }

    /**
     * Runs the three passes {@code --rounds} times and prints the table of medians.
     *
     * @param out where to print
     * @return the median passes: loop, local[1], local[2]
     * @throws Exception if the model cannot be loaded or a job fails
     */
    public List<Pass> run(PrintStream out) throws Exception {
        ModelLocation location = ModelLocation.parse(ModelLocation.Kind.NER, "--model", model).check("bench-tag: --model");
        if (sentences < 1 || batchSize < 1 || partitions < 1 || rounds < 1) {
            throw new IllegalArgumentException("bench-tag: --sentences, --batch-size, --partitions and --rounds must be >= 1; got "
                    + sentences + ", " + batchSize + ", " + partitions + ", " + rounds);
        }
        Path dir = work != null ? work : Files.createTempDirectory("djl-gather-spark-bench");
        Files.createDirectories(dir);
        List<String> texts = new ArrayList<>(sentences);
        for (Sentence s : SyntheticCorpus.generate(sentences, 1, seed).train()) {
            texts.add(String.join(" ", s.tokens()));
        }
        Path input = dir.resolve("sentences.txt");
        Files.write(input, texts, StandardCharsets.UTF_8);
        Path warmup = dir.resolve("warmup.txt");
        Files.write(warmup, texts.subList(0, Math.min(texts.size(), 2000)), StandardCharsets.UTF_8);
        long rssStart = ProcessMemory.rssBytes();
        out.printf("bench-tag: %d generated sentences (seed %d), batch size %d, %d partitions; RSS at start %s%n",
                texts.size(), seed, batchSize, partitions, ProcessMemory.mb(rssStart));

        ZooModel<String, TaggedSentence> tagger = Models.ner(location);
        List<List<String>> reference = new ArrayList<>(texts.size());
        List<String> names = List.of("single-JVM Predictor loop", "tag, local[1]", "tag, local[2]");
        List<List<Pass>> byRun = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long rssLoop = 0;
        try (Predictor<String, TaggedSentence> predictor = tagger.newPredictor()) {
            loop(predictor, texts.subList(0, Math.min(texts.size(), 2000)), new ArrayList<>());  // warm-up, as Spark's
            for (int round = 1; round <= rounds; round++) {
                List<List<String>> tags = new ArrayList<>(texts.size());
                long begin = System.nanoTime();
                loop(predictor, texts, tags);
                double seconds = (System.nanoTime() - begin) / 1e9;
                if (round == 1) {
                    reference.addAll(tags);
                }
                long differing = 0;
                for (int i = 0; i < tags.size(); i++) {
                    differing += tags.get(i).equals(reference.get(i)) ? 0 : 1;
                }
                byRun.get(0).add(new Pass(names.get(0), texts.size(), seconds, differing));
                out.printf("round %d: loop: %d rows in %.2f s%n", round, texts.size(), seconds);
                if (round == 1) {
                    rssLoop = ProcessMemory.rssBytes();
                    out.printf("after the model's load and the loop: %s%n", memory());
                }
                byRun.get(1).add(spark("local[1]", location, input, warmup, dir, reference, out));
                byRun.get(2).add(spark("local[2]", location, input, warmup, dir, reference, out));
            }
        }
        long rssEnd = ProcessMemory.rssBytes();
        List<Pass> medians = new ArrayList<>();
        for (List<Pass> runs : byRun) {
            List<Pass> sorted = new ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingDouble(Pass::seconds));
            Pass median = sorted.get(sorted.size() / 2);
            long differing = runs.stream().mapToLong(Pass::differing).sum();
            medians.add(new Pass(median.name(), median.rows(), median.seconds(), differing));
        }
        out.println();
        out.printf("Median of %d rounds (each round: loop, local[1], local[2]):%n%n", rounds);
        out.println("| run | rows | seconds (median) | rows/s | vs loop | seconds, each round | rows whose tags differ from the loop's |");
        out.println("|---|---|---|---|---|---|---|");
        for (int k = 0; k < medians.size(); k++) {
            Pass p = medians.get(k);
            StringBuilder each = new StringBuilder();
            for (Pass r : byRun.get(k)) {
                each.append(each.length() > 0 ? ", " : "").append(String.format("%.2f", r.seconds()));
            }
            out.printf("| %s | %d | %.2f | %.0f | %.2f | %s | %d |%n", p.name(), p.rows(), p.seconds(), p.rowsPerSecond(),
                    p.rowsPerSecond() / medians.get(0).rowsPerSecond(), each, p.differing());
        }
        out.printf("%nload average (1, 5, 15 min) at the end: %s", loadAverage());
        out.printf("%nRSS of this JVM (driver and executor in local mode): start %s (before the model), %s after the "
                + "model's load and the first loop, end %s (after all runs: %s); model loads in this JVM: %d%n",
                ProcessMemory.mb(rssStart), ProcessMemory.mb(rssLoop), ProcessMemory.mb(rssEnd), memory(),
                Models.loadCount(location));
        return medians;
    }

    /** RSS and the part of it the Java heap has committed (the heap grows toward -Xmx before it collects). */
    private static String memory() {
        return "RSS " + ProcessMemory.mb(ProcessMemory.rssBytes()) + " (Java heap committed "
                + ProcessMemory.mb(Runtime.getRuntime().totalMemory()) + ", used "
                + ProcessMemory.mb(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) + ")";
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " on " + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private TagCommand tag(Path input, Path output, ModelLocation location) {
        TagCommand tag = new TagCommand();
        new picocli.CommandLine(tag).parseArgs("--input", input.toString(), "--model", location.folder(),
                "--output", output.toString(), "--overwrite", "--partitions", Integer.toString(partitions),
                "--batch-size", Integer.toString(batchSize));
        return tag;
    }

    private void loop(Predictor<String, TaggedSentence> predictor, List<String> texts, List<List<String>> tags)
            throws Exception {
        for (int from = 0; from < texts.size(); from += batchSize) {
            for (TaggedSentence t : predictor.batchPredict(texts.subList(from, Math.min(texts.size(), from + batchSize)))) {
                tags.add(t.tags());
            }
        }
    }

    private Pass spark(String master, ModelLocation location, Path input, Path warmup, Path dir,
            List<List<String>> reference, PrintStream out) throws Exception {
        SparkSession spark = SparkSession.builder().appName("djl-gather-spark bench-tag").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            Path output = dir.resolve("out-" + master.replaceAll("[^a-z0-9]", ""));
            tag(warmup, output, location).run(spark, new PrintStream(PrintStream.nullOutputStream()));  // JIT, codegen
            JobOptions.Summary summary = tag(input, output, location).run(spark, new PrintStream(PrintStream.nullOutputStream()));
            long differing = 0;
            for (Row r : spark.read().parquet(output.toString()).select("id", "tags").collectAsList()) {
                List<String> tags = r.isNullAt(1) ? null : r.getList(1);
                if (tags == null || !tags.equals(reference.get((int) r.getLong(0)))) {
                    differing++;
                }
            }
            out.printf("%s: %d rows in %.2f s (%d errors); %s%n", master, summary.rows(), summary.seconds(), summary.errors(),
                    memory());
            return new Pass("tag, " + master, summary.rows(), summary.seconds(), differing);
        } finally {
            spark.stop();
        }
    }
}
