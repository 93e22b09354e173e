package io.djlgather.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tag}: sentences in, one tagged row per sentence out ({@link TagJob}). */
@Command(
        name = "tag",
        mixinStandardHelpOptions = true,
        description = {
            "Tags sentences with the samples' NER model (ner-bilstm-crf) on Spark: one row per sentence "
                    + "(id, tokens, tags, entities[type,start,end,text], score, error), as Parquet or JSON Lines.",
            "Input: a text file with one sentence per line (read by Spark), or a CoNLL-style file (token first, "
                    + "blank line between sentences; read on the driver). A blank sentence or one longer than "
                    + "--max-tokens words gives a row with an error and is counted; it never fails the job."
        })
public final class TagCommand implements Callable<Integer> {

    /** Input formats. */
    public enum InputFormat {
        /** One sentence per line. */
        text,
        /** CoNLL-style columns, token first. */
        conll
    }

    @Mixin JobOptions job = new JobOptions();

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The sentences.")
    Path input;

    @Option(names = "--input-format", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    InputFormat inputFormat;

    @Option(names = "--model", required = true, paramLabel = "DIR|URL",
            description = "The ner-bilstm-crf model folder (path or file: URL), e.g. model-zoo-samples/build/zoo/ner-bilstm-crf.")
    String model;

    @Option(names = "--max-tokens", defaultValue = "128",
            description = "Longest sentence in words; longer ones give an error row (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Override
    public Integer call() throws Exception {
        checkedOptions();  // a missing model or input fails before Spark starts
        SparkSession spark = job.session("djl-gather-spark tag");
        try {
            run(spark, System.out);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /**
     * Checks everything on the driver, then runs the job in a session.
     *
     * @param spark the session
     * @param out where progress and the summary go
     * @return the summary
     * @throws Exception if the input cannot be read or the output written
     */
    public JobOptions.Summary run(SparkSession spark, PrintStream out) throws Exception {
        TagJob.Options options = checkedOptions();
        Dataset<Row> sentences = inputFormat == InputFormat.conll
                ? TagJob.readConll(spark, input, job.partitions)
                : TagJob.readText(spark, input.toAbsolutePath().toString(), job.partitions);
        JobCounters counters = JobCounters.register(spark.sparkContext(), "tag");
        return job.write(spark, "tag", TagJob.tag(sentences, options, counters), counters, out);
    }

    /** The driver's checks: model, input, output and counts, before any Spark work. */
    TagJob.Options checkedOptions() {
        ModelLocation location = ModelLocation.parse(ModelLocation.Kind.NER, "--model", model).check("tag: --model");
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw new IllegalArgumentException("tag: --input " + input + " is not a readable file; expected a text or CoNLL file");
        }
        job.check("tag");
        return new TagJob.Options(location, job.batchSize, maxTokens);
    }
}
