package io.djlgather.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.djlgather.samples.ner.BioSpans;
import io.djlgather.samples.ner.ConllReader;
import io.djlgather.samples.ner.NerModels;
import io.djlgather.samples.ner.Sentence;
import io.djlgather.samples.ner.SyntheticCorpus;
import io.djlgather.samples.ner.TaggedSentence;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tag} in local mode against the single-JVM reference: the same saved tagger loaded
 * directly ({@link NerModels#load}, not through {@link Models}) and run one sentence at a time
 * with {@code Predictor.predict}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TagJobTest {

    private static final int MAX_TOKENS = 30;

    private SparkSession spark;
    private Path model;
    private Path dir;
    private Path input;
    /** Per line of {@link #input}: the reference output, or null for a line that must be an error. */
    private final List<TaggedSentence> expected = new ArrayList<>();
    private final Map<Long, String> expectedErrors = new HashMap<>();
    private List<Sentence> sentences;

    @BeforeAll
    void setUp() throws Exception {
        spark = Fixtures.spark();
        model = Fixtures.models().resolve("ner");
        dir = Files.createTempDirectory("tag-job-test");
        sentences = SyntheticCorpus.generate(10, 40, 21).dev();
        List<String> lines = new ArrayList<>();
        for (Sentence s : sentences) {
            lines.add(String.join(" ", s.tokens()));
        }
        lines.add(7, "");
        lines.add(15, "   \t ");
        lines.add(23, String.join(" ", java.util.Collections.nCopies(MAX_TOKENS + 1, "word")));
        lines.add(30, String.join(" ", java.util.Collections.nCopies(MAX_TOKENS, "Paris")));  // at the limit: tagged
        input = dir.resolve("sentences.txt");
        Files.write(input, lines, StandardCharsets.UTF_8);
        try (ZooModel<String, TaggedSentence> tagger = NerModels.load(model);
                Predictor<String, TaggedSentence> predictor = tagger.newPredictor()) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    expected.add(null);
                    expectedErrors.put((long) i, "blank sentence");
                } else if (line.split(" ").length > MAX_TOKENS) {
                    expected.add(null);
                    expectedErrors.put((long) i, "sentence has 31 words; expected at most 30 (--max-tokens)");
                } else {
                    expected.add(predictor.predict(line));
                }
            }
        }
    }

    private JobOptions.Summary tag(Path output, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--model", model.toString(),
                "--output", output.toString(), "--max-tokens", Integer.toString(MAX_TOKENS), "--batch-size", "8"));
        args.addAll(List.of(extra));
        TagCommand command = Fixtures.parse(new TagCommand(), args.toArray(String[]::new));
        return command.run(spark, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("id"))));
        return out;
    }

    private void assertMatchesReference(List<Row> rows) {
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getLong(row.fieldIndex("id")));
            TaggedSentence want = expected.get(i);
            int error = row.fieldIndex("error");
            if (want == null) {
                assertTrue(row.getString(error).startsWith(expectedErrors.get((long) i)), row.getString(error));
                assertTrue(row.isNullAt(row.fieldIndex("tags")));
                assertTrue(row.isNullAt(row.fieldIndex("score")));
                continue;
            }
            assertTrue(row.isNullAt(error), () -> "row " + row);
            assertEquals(want.tokens(), row.getList(row.fieldIndex("tokens")));
            assertEquals(want.tags(), row.getList(row.fieldIndex("tags")), "tags of sentence " + i);
            float score = row.getFloat(row.fieldIndex("score"));
            assertEquals(want.score(), score, 1e-5 * Math.max(1, Math.abs(want.score())), "score of sentence " + i);
            List<Row> entities = row.getList(row.fieldIndex("entities"));
            List<BioSpans.Span> spans = BioSpans.spans(want.tags());
            assertEquals(spans.size(), entities.size());
            for (int e = 0; e < spans.size(); e++) {
                Row entity = entities.get(e);
                BioSpans.Span span = spans.get(e);
                assertEquals(span.type(), entity.getString(0));
                assertEquals(span.start(), entity.getInt(1));
                assertEquals(span.end(), entity.getInt(2));
                assertEquals(String.join(" ", want.tokens().subList(span.start(), span.end())), entity.getString(3));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void everyRowEqualsThePredictorsOutput(int partitions, @TempDir Path tmp) throws Exception {
        Path output = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TagCommand command = Fixtures.parse(new TagCommand(), "--input", input.toString(), "--model", model.toString(),
                "--output", output.toString(), "--max-tokens", Integer.toString(MAX_TOKENS), "--batch-size", "8",
                "--partitions", Integer.toString(partitions));
        JobOptions.Summary summary = command.run(spark, new PrintStream(log, true, StandardCharsets.UTF_8));
        try (var files = Files.list(output)) {
            assertEquals(partitions, files.filter(p -> p.toString().endsWith(".parquet")).count());
        }
        String printed = log.toString(StandardCharsets.UTF_8);
        long written = printed.lines().filter(l -> l.startsWith("tag: stage") && l.contains("rows written")).count();
        assertEquals(partitions, written, printed);
        assertTrue(printed.contains("tag: 44 records -> 44 rows (3 errors) in "), printed);
        assertMatchesReference(sorted(spark.read().parquet(output.toString()).collectAsList()));
        assertEquals(expected.size(), summary.records());
        assertEquals(expected.size(), summary.rows());
        assertEquals(expectedErrors.size(), summary.errors());
        assertEquals(3, summary.errors());
    }

    @Test
    void jsonLinesHoldTheSameRows(@TempDir Path tmp) throws Exception {
        Path output = tmp.resolve("json");
        tag(output, "--format", "json", "--partitions", "2");
        assertTrue(Files.list(output).anyMatch(p -> p.getFileName().toString().endsWith(".json")));
        assertMatchesReference(sorted(spark.read().schema(TagJob.SCHEMA).json(output.toString()).collectAsList()));
    }

    @Test
    void conllInputIsTaggedAsItsTokens(@TempDir Path tmp) throws Exception {
        Path conll = tmp.resolve("dev.conll");
        StringBuilder text = new StringBuilder("-DOCSTART- O\n\n");
        for (Sentence s : sentences.subList(0, 12)) {
            for (int t = 0; t < s.size(); t++) {
                text.append(s.tokens().get(t)).append(' ').append(s.tags().get(t)).append('\n');
            }
            text.append('\n');
        }
        Files.writeString(conll, text, StandardCharsets.UTF_8);
        Path output = tmp.resolve("out");
        TagCommand command = Fixtures.parse(new TagCommand(), "--input", conll.toString(), "--input-format", "conll",
                "--model", model.toString(), "--output", output.toString(), "--partitions", "3");
        JobOptions.Summary summary = command.run(spark, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        List<Sentence> read = ConllReader.read(conll);
        List<Row> rows = sorted(spark.read().parquet(output.toString()).collectAsList());
        assertEquals(12, rows.size());
        assertEquals(12, summary.rows());
        assertEquals(0, summary.errors());
        try (ZooModel<String, TaggedSentence> tagger = NerModels.load(model);
                Predictor<String, TaggedSentence> predictor = tagger.newPredictor()) {
            for (int i = 0; i < rows.size(); i++) {
                TaggedSentence want = predictor.predict(String.join(" ", read.get(i).tokens()));
                assertEquals(read.get(i).tokens(), rows.get(i).getList(1));
                assertEquals(want.tags(), rows.get(i).getList(2));
                assertNull(rows.get(i).get(5));
            }
        }
    }

    @Test
    void theModelIsLoadedOncePerJvmHoweverManyPartitionsRun(@TempDir Path tmp) throws Exception {
        Fixtures.Starts starts = new Fixtures.Starts();
        spark.sparkContext().addSparkListener(starts);
        try {
            tag(tmp.resolve("a"), "--partitions", "4");
            tag(tmp.resolve("b"), "--partitions", "3");
            Fixtures.drainListeners(spark);
        } finally {
            spark.sparkContext().removeSparkListener(starts);
        }
        assertTrue(starts.tasks.get() >= 7, "tasks " + starts.tasks.get());
        ModelLocation location = ModelLocation.parse(ModelLocation.Kind.NER, "--model", model.toString());
        assertEquals(1, Models.loadCount(location));
    }

    @Test
    void aMissingModelFailsOnTheDriverBeforeAnyTaskRuns(@TempDir Path tmp) throws Exception {
        Fixtures.Starts starts = new Fixtures.Starts();
        spark.sparkContext().addSparkListener(starts);
        Path missing = tmp.resolve("no-model");
        IllegalArgumentException e;
        try {
            e = assertThrows(IllegalArgumentException.class, () -> tag(tmp.resolve("out"), "--model", missing.toString()));
            Fixtures.drainListeners(spark);
        } finally {
            spark.sparkContext().removeSparkListener(starts);
        }
        assertEquals("tag: --model: no ner-bilstm-crf model in " + missing + " (no such folder); expected a folder with "
                + "ner-bilstm-crf-0000.params, words.txt, tagger.properties, as the samples' 'ner' command saves it "
                + "(model-zoo-samples/build/zoo/ner-bilstm-crf)", e.getMessage());
        assertEquals(0, starts.jobs.get());
        assertEquals(0, starts.tasks.get());
        assertTrue(Files.notExists(tmp.resolve("out")));
    }

    @Test
    void badOptionsNameTheOption(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tag(tmp.resolve("out"), "--batch-size", "0"));
        assertEquals("tag: --batch-size must be >= 1; got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> tag(tmp.resolve("out"), "--model", "hdfs://nn/models/ner"));
        assertTrue(e.getMessage().startsWith("--model: unsupported URL scheme 'hdfs'"), e.getMessage());
    }

    @Test
    void aFileUrlFindsTheModel(@TempDir Path tmp) throws Exception {
        JobOptions.Summary summary = tag(tmp.resolve("out"), "--model", model.toUri().toString());
        assertEquals(expected.size(), summary.rows());
    }
}
