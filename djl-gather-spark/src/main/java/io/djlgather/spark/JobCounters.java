package io.djlgather.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * A job's counts, as Spark accumulators the tasks add to and the driver reads after the job's one
 * action: input records seen, rows written, error rows among them, and records that gave no row
 * and no error (an image without corners).
 *
 * <p>The counts are exact when the job's output is computed once; Spark may count a retried
 * task twice, so read them as what the tasks did, not as the output's size.
 */
public final class JobCounters implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LongAccumulator records;
    private final LongAccumulator rows;
    private final LongAccumulator errors;
    private final LongAccumulator empty;

    private JobCounters(SparkContext sc, String job) {
        records = sc.longAccumulator(job + ".records");
        rows = sc.longAccumulator(job + ".rows");
        errors = sc.longAccumulator(job + ".errors");
        empty = sc.longAccumulator(job + ".empty");
    }

    /**
     * Registers fresh counters with a Spark context.
     *
     * @param sc the context
     * @param job a name for Spark's UI, e.g. {@code tag}
     * @return the counters, all 0
     */
    public static JobCounters register(SparkContext sc, String job) {
        return new JobCounters(sc, job);
    }

    void addRecord() {
        records.add(1);
    }

    void addRow() {
        rows.add(1);
    }

    void addError() {
        errors.add(1);
    }

    void addEmpty() {
        empty.add(1);
    }

    /** Returns the input records seen (sentences, images). */
    public long records() {
        return records.value();
    }

    /** Returns the rows written, error rows included. */
    public long rows() {
        return rows.value();
    }

    /** Returns the error rows. */
    public long errors() {
        return errors.value();
    }

    /** Returns the records that gave no row (images in which no corner was found). */
    public long empty() {
        return empty.value();
    }
}
