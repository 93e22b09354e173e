package io.djlgather.spark;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.djlgather.samples.ner.BioSpans;
import io.djlgather.samples.ner.ConllReader;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.TaggedSentence;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch NER tagging as a Spark Dataset transformation: sentences {@code (id, text)} in, one row
 * per sentence out, {@link #SCHEMA}: {@code (id, tokens, tags, entities[type, start, end, text],
 * score, error)}.
 *
 * <p>Each task takes the tagger from {@link Models} (loaded once per JVM), opens one {@link
 * Predictor}, and tags its sentences with {@code batchPredict} in groups of {@code batchSize}. A
 * sentence is split at whitespace, as the samples' {@code NerTranslator} splits it; {@code tokens}
 * holds those words, {@code tags} one BIO tag per word, {@code entities} the tag spans ({@link
 * BioSpans}: tokens {@code [start, end)}, their words joined by a space), {@code score} the
 * Viterbi path score. A blank sentence, one longer than {@code maxTokens} words, or one the model
 * fails on gives a row whose {@code tags}, {@code entities} and {@code score} are null and whose
 * {@code error} says why; it is counted in {@link JobCounters#errors()} and never fails the job.
 */
public final class TagJob {

    /** The input's schema: {@code id} (0-based sentence number) and {@code text}. */
    public static final StructType INPUT_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("text", DataTypes.StringType, true)
    });

    /** One entity: its type, token span {@code [start, end)} and words. */
    public static final StructType ENTITY = new StructType(new StructField[] {
        DataTypes.createStructField("type", DataTypes.StringType, false),
        DataTypes.createStructField("start", DataTypes.IntegerType, false),
        DataTypes.createStructField("end", DataTypes.IntegerType, false),
        DataTypes.createStructField("text", DataTypes.StringType, false)
    });

    /** The output's schema. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false),
        DataTypes.createStructField("tags", DataTypes.createArrayType(DataTypes.StringType, false), true),
        DataTypes.createStructField("entities", DataTypes.createArrayType(ENTITY, false), true),
        DataTypes.createStructField("score", DataTypes.FloatType, true),
        DataTypes.createStructField("error", DataTypes.StringType, true)
    });

    /**
     * Settings of the tagging step.
     *
     * @param model the tagger, checked on the driver
     * @param batchSize sentences per {@code batchPredict}, at least 1
     * @param maxTokens the most words a sentence may have, at least 1
     */
    public record Options(ModelLocation model, int batchSize, int maxTokens) implements Serializable {

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if a count is below 1 or the model is not a tagger
         */
        public Options {
            if (model == null || model.kind() != ModelLocation.Kind.NER) {
                throw new IllegalArgumentException("tag: --model must be a " + ModelLocation.Kind.NER.artifact()
                        + " model; got " + model);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("tag: --batch-size must be >= 1; got " + batchSize);
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("tag: --max-tokens must be >= 1; got " + maxTokens);
            }
        }
    }

    private TagJob() {}

    /**
     * Reads a text file, one sentence per line, as {@link #INPUT_SCHEMA} rows numbered from 0 in
     * file order (blank lines included: they become error rows).
     *
     * @param spark the session
     * @param file the file (read by Spark, so it may be larger than the driver's memory)
     * @param partitions partitions of the result, or 0 for what Spark's reader gives
     * @return the sentences
     */
    public static Dataset<Row> readText(SparkSession spark, String file, int partitions) {
        var numbered = spark.read().text(file).javaRDD().zipWithIndex()
                .map(p -> RowFactory.create(p._2(), p._1().getString(0)));
        Dataset<Row> rows = spark.createDataFrame(numbered, INPUT_SCHEMA);
        return partitions > 0 ? rows.repartition(partitions) : rows;
    }

    /**
     * Reads a CoNLL-style file with the samples' {@link ConllReader} (token first, blank line
     * between sentences) on the driver, as {@link #INPUT_SCHEMA} rows numbered from 0 in file
     * order, the tokens joined by spaces. The file must fit in the driver's memory.
     *
     * @param spark the session
     * @param file the file
     * @param partitions partitions of the result, or 0 for Spark's default parallelism
     * @return the sentences
     * @throws UncheckedIOException if the file cannot be read or is malformed
     */
    public static Dataset<Row> readConll(SparkSession spark, Path file, int partitions) {
        List<Sentence> sentences;
        try {
            sentences = ConllReader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("tag: --input: cannot read CoNLL file " + file + ": " + e.getMessage(), e);
        }
        List<Row> rows = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            rows.add(RowFactory.create((long) i, String.join(" ", sentences.get(i).tokens())));
        }
        Dataset<Row> ds = spark.createDataFrame(rows, INPUT_SCHEMA);
        return ds.repartition(partitions > 0 ? partitions : spark.sparkContext().defaultParallelism());
    }

    /**
     * Tags sentences. Lazy, like every Dataset transformation: nothing runs before an action.
     *
     * @param sentences rows with {@code id} (long) and {@code text} (string) columns
     * @param options the settings
     * @param counters where the tasks count records, rows and errors
     * @return the tagged rows, {@link #SCHEMA}
     */
    public static Dataset<Row> tag(Dataset<Row> sentences, Options options, JobCounters counters) {
        return sentences.select("id", "text").mapPartitions(new TagPartition(options, counters), Encoders.row(SCHEMA));
    }

    /**
     * Returns the tokens of a sentence as the tagger sees them: split at whitespace.
     *
     * @param text the sentence, may be null
     * @return the words; empty for a blank sentence
     */
    public static List<String> tokens(String text) {
        String stripped = text == null ? "" : text.strip();
        return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
    }

    /**
     * Returns the row for a tagged sentence.
     *
     * @param id the sentence's id
     * @param tagged the tagger's output
     * @return a {@link #SCHEMA} row with a null error
     */
    public static Row row(long id, TaggedSentence tagged) {
        List<Row> entities = new ArrayList<>();
        for (BioSpans.Span span : BioSpans.spans(tagged.tags())) {
            entities.add(RowFactory.create(span.type(), span.start(), span.end(),
                    String.join(" ", tagged.tokens().subList(span.start(), span.end()))));
        }
        // Spark's row encoder takes arrays (or Scala sequences), not java.util.List
        return RowFactory.create(id, tagged.tokens().toArray(String[]::new), tagged.tags().toArray(String[]::new),
                entities.toArray(Row[]::new), tagged.score(), null);
    }

    private static Row errorRow(long id, List<String> tokens, String error) {
        return RowFactory.create(id, tokens.toArray(String[]::new), null, null, null, error);
    }

    /** One task's work: a predictor from the JVM's shared model, batches of sentences. */
    private static final class TagPartition implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Options options;
        private final JobCounters counters;

        TagPartition(Options options, JobCounters counters) {
            this.options = options;
            this.counters = counters;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) throws Exception {
            Predictor<String, TaggedSentence> predictor = Models.ner(options.model()).newPredictor();
            return new BatchingIterator(input, options.batchSize()) {
                @Override
                List<Row> process(List<Row> group) {
                    return tagGroup(predictor, group);
                }

                @Override
                void finish() {
                    predictor.close();
                }
            };
        }

        private List<Row> tagGroup(Predictor<String, TaggedSentence> predictor, List<Row> group) {
            Row[] out = new Row[group.size()];
            List<Integer> valid = new ArrayList<>(group.size());
            List<String> texts = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                counters.addRecord();
                long id = group.get(i).getLong(0);
                String text = group.get(i).getString(1);
                List<String> tokens = tokens(text);
                if (tokens.isEmpty()) {
                    out[i] = errorRow(id, tokens, "blank sentence; expected at least one word");
                } else if (tokens.size() > options.maxTokens()) {
                    out[i] = errorRow(id, tokens, "sentence has " + tokens.size()
                            + " words; expected at most " + options.maxTokens() + " (--max-tokens)");
                } else {
                    valid.add(i);
                    texts.add(String.join(" ", tokens));
                }
            }
            if (!texts.isEmpty()) {
                List<TaggedSentence> tagged = null;
                try {
                    tagged = predictor.batchPredict(texts);
                } catch (TranslateException | RuntimeException e) {
                    // one sentence the model fails on must not cost the others: run each alone
                }
                for (int k = 0; k < valid.size(); k++) {
                    int i = valid.get(k);
                    long id = group.get(i).getLong(0);
                    if (tagged != null) {
                        out[i] = row(id, tagged.get(k));
                    } else {
                        try {
                            out[i] = row(id, predictor.predict(texts.get(k)));
                        } catch (TranslateException | RuntimeException e) {
                            out[i] = errorRow(id, tokens(texts.get(k)), "tagger failed: " + e.getMessage());
                        }
                    }
                }
            }
            for (Row r : out) {
                counters.addRow();
                if (!r.isNullAt(5)) {
                    counters.addError();
                }
            }
            return Arrays.asList(out);
        }
    }
}
