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
 * compare like with like. Also prints this JVM's RSS (the executor's, in local mode) at the start
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
     * Runs the three passes and prints the table.
     *
     * @param out where to print
     * @return the passes: loop, local[1], local[2]
     * @throws Exception if the model cannot be loaded or a job fails
     */
    public List<Pass> run(PrintStream out) throws Exception {
        ModelLocation location = ModelLocation.parse(ModelLocation.Kind.NER, "--model", model).check("bench-tag: --model");
        if (sentences < 1 || batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("bench-tag: --sentences, --batch-size and --partitions must be >= 1; got "
                    + sentences + ", " + batchSize + ", " + partitions);
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
        try (Predictor<String, TaggedSentence> predictor = tagger.newPredictor()) {
            loop(predictor, texts.subList(0, Math.min(texts.size(), 2000)), new ArrayList<>());  // warm-up, as Spark's
            long begin = System.nanoTime();
            loop(predictor, texts, reference);
            double seconds = (System.nanoTime() - begin) / 1e9;
            List<Pass> passes = new ArrayList<>();
            passes.add(new Pass("single-JVM Predictor loop", texts.size(), seconds, 0));
            out.printf("loop: %d rows in %.2f s%n", texts.size(), seconds);
            long rssLoop = ProcessMemory.rssBytes();
            out.printf("RSS after the model's load and the loop: %s%n", ProcessMemory.mb(rssLoop));
            for (String master : List.of("local[1]", "local[2]")) {
                passes.add(spark(master, location, input, warmup, dir, reference, out));
            }
            long rssEnd = ProcessMemory.rssBytes();
            out.println();
            out.println("| run | rows | seconds | rows/s | vs loop | rows whose tags differ from the loop's |");
            out.println("|---|---|---|---|---|---|");
            for (Pass p : passes) {
                out.printf("| %s | %d | %.2f | %.0f | %.2f | %d |%n", p.name(), p.rows(), p.seconds(), p.rowsPerSecond(),
                        p.rowsPerSecond() / passes.get(0).rowsPerSecond(), p.differing());
            }
            out.printf("%nload average (1, 5, 15 min): %s", loadAverage());
            out.printf("%nRSS of this JVM (driver and executor in local mode): start %s (before the model), %s after the "
                    + "model's load and the loop, end %s (after both Spark runs); model loads in this JVM: %d%n",
                    ProcessMemory.mb(rssStart), ProcessMemory.mb(rssLoop), ProcessMemory.mb(rssEnd), Models.loadCount(location));
            return passes;
        }
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
            out.printf("%s: %d rows in %.2f s (%d errors); RSS %s%n", master, summary.rows(), summary.seconds(), summary.errors(),
                    ProcessMemory.mb(ProcessMemory.rssBytes()));
            return new Pass("tag, " + master, summary.rows(), summary.seconds(), differing);
        } finally {
            spark.stop();
        }
    }
}
