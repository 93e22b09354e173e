package io.djlgather.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options and driver-side steps every job shares: the session, the output, the summary. */
public final class JobOptions {

    /** Output formats. */
    public enum Format {
        /** Apache Parquet, Spark's default. */
        parquet,
        /** JSON Lines, one object per row. */
        json
    }

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master. Default: the one spark-submit sets (spark.master), else local[2].")
    String master;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder (Spark writes part files into it).")
    Path output;

    @Option(names = "--format", defaultValue = "parquet", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--overwrite", description = "Replace --output if it exists (default: fail).")
    boolean overwrite;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Partitions to split the input into; 0 keeps the reader's (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--batch-size", defaultValue = "32", description = "Records per batchPredict (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /**
     * What a job did.
     *
     * @param records input records (sentences, images)
     * @param rows rows written, error rows included
     * @param errors error rows
     * @param empty records that gave no row (images without corners)
     * @param seconds wall time of the job, from its first task to the output's commit
     * @param output the output folder
     */
    public record Summary(long records, long rows, long errors, long empty, double seconds, Path output) {

        /** Returns rows written per second. */
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }
    }

    /**
     * Returns the master to use: {@code --master}, else the one spark-submit set, else {@code
     * local[2]}.
     *
     * @return the master URL
     */
    public String master() {
        if (master != null) {
            return master;
        }
        String submitted = System.getProperty("spark.master");
        return submitted != null ? submitted : "local[2]";
    }

    /**
     * Starts (or joins) the session for a job run from the command line. Local mode binds to the
     * loopback address and starts no web UI.
     *
     * @param app the application's name
     * @return the session
     */
    public SparkSession session(String app) {
        String m = master();
        SparkSession.Builder builder = SparkSession.builder().appName(app).master(m);
        if (m.startsWith("local")) {
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        return builder.getOrCreate();
    }

    /**
     * Checks the shared options on the driver.
     *
     * @param job the job's name, for messages
     * @throws IllegalArgumentException if a value is out of range or the output exists without
     *     {@code --overwrite}
     */
    void check(String job) {
        if (partitions < 0) {
            throw new IllegalArgumentException(job + ": --partitions must be >= 0; got " + partitions);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(job + ": --batch-size must be >= 1; got " + batchSize);
        }
        if (Files.exists(output) && !overwrite) {
            throw new IllegalArgumentException(job + ": --output " + output
                    + " exists; expected a new folder, or pass --overwrite");
        }
    }

    /**
     * Writes the rows (the job's one action) with a progress line per finished partition, and
     * prints the summary.
     *
     * @param spark the session
     * @param job the job's name
     * @param rows the job's output
     * @param counters its counters
     * @param out where to print
     * @return the summary
     * @throws IOException if the output folder cannot be replaced
     */
    Summary write(SparkSession spark, String job, Dataset<Row> rows, JobCounters counters, PrintStream out)
            throws IOException {
        Progress progress = new Progress(out, job);
        spark.sparkContext().addSparkListener(progress);
        long begin = System.nanoTime();
        try {
            var writer = rows.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
            String dir = output.toAbsolutePath().toString();
            if (format == Format.json) {
                writer.json(dir);
            } else {
                writer.parquet(dir);
            }
        } finally {
            spark.sparkContext().removeSparkListener(progress);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        Summary summary = new Summary(counters.records(), counters.rows(), counters.errors(), counters.empty(), seconds,
                output.toAbsolutePath());
        out.printf("%s: %d records -> %d rows (%d errors%s) in %.2f s, %.1f rows/s, master %s; output %s (%s)%n",
                job, summary.records(), summary.rows(), summary.errors(),
                summary.empty() > 0 ? ", " + summary.empty() + " images without corners" : "",
                seconds, summary.rowsPerSecond(), spark.sparkContext().master(), summary.output(), format);
        return summary;
    }
}
