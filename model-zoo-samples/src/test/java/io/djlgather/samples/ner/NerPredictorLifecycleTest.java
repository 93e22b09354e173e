package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.djlgather.samples.RssSlope;
import io.djlgather.samples.serve.ProcessMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved NER tagger as users get it ({@link NerModels#load}) behind one {@link Predictor} for
 * 20,000 requests of mixed lengths, every tenth a {@code batchPredict} of 2 to 8 sentences: the
 * model's manager holds as many arrays after request 20,000 as after request 1,000, and the
 * process's RSS grows by less than 8 MB over the second 10,000 requests (a slope from a reading every 1,000 requests, see
 * {@link io.djlgather.samples.RssSlope}, not a level:
 * glibc arenas, the JIT and libtorch's allocator move the level by tens of MB from run to run).
 * On the code before the ownership rule (c0ec5a3) the same loop left 23 arrays per request in
 * the model's manager (460,015 after 20,000 requests) and RSS grew 495 MB over the second half.
 * Every answer is checked against the tags of the trained model run directly (block forward and
 * Viterbi, no Predictor, no translator).
 */
class NerPredictorLifecycleTest {

    static final int REQUESTS = 20_000;
    static final int SETTLED = 1_000;
    static final int HALF = 10_000;
    static final long MAX_RSS_SLOPE = 8_000_000;

    @TempDir Path dir;

    @Test
    void twentyThousandRequestsLeaveTheModelsManagerAndRssFlat() throws Exception {
        SyntheticCorpus.Splits splits = SyntheticCorpus.generate(60, 60, 5);
        NerTrainer.Options options =
                new NerTrainer.Options(1, 16, 0.01f, 0.1f, new NerConfig(8, 4, 8, 0.1f, true, 4, 6, 3), 5);
        NerTrainer.Result trained =
                NerTrainer.train(splits.train(), splits.dev(), options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        // mixed lengths, 1 to 6 words (the count of requests matters here, not their size):
        // the first words of each dev sentence
        Random random = new Random(11);
        List<List<String>> sentences = new ArrayList<>();
        for (Sentence s : splits.dev()) {
            sentences.add(s.tokens().subList(0, Math.min(s.size(), 1 + random.nextInt(6))));
        }
        List<List<String>> reference;
        try (Model model = trained.model()) {
            reference = tagDirectly(model, trained.vocab(), sentences);
            NerModels.save(model, trained.vocab(), dir);
        }
        int[] counts = new int[3];
        double cpu;
        long[] rss = new long[3];
        // one reading every 1,000 requests over the second half, for the slope
        RssSlope secondHalf = new RssSlope();
        int mismatches = 0;
        int sentencesTagged = 0;
        try (ZooModel<String, TaggedSentence> model = NerModels.load(dir);
                Predictor<String, TaggedSentence> predictor = model.newPredictor()) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int request = 1; request <= REQUESTS; request++) {
                List<Integer> picks = new ArrayList<>();
                int size = request % 10 == 0 ? 2 + random.nextInt(7) : 1;
                for (int i = 0; i < size; i++) {
                    picks.add(random.nextInt(sentences.size()));
                }
                List<TaggedSentence> answers;
                if (size == 1) {
                    answers = List.of(predictor.predict(String.join(" ", sentences.get(picks.get(0)))));
                } else {
                    answers = predictor.batchPredict(
                            picks.stream().map(i -> String.join(" ", sentences.get(i))).toList());
                }
                for (int i = 0; i < size; i++) {
                    if (!answers.get(i).tags().equals(reference.get(picks.get(i)))) {
                        mismatches++;
                    }
                }
                sentencesTagged += size;
                int checkpoint = request == SETTLED ? 0 : request == HALF ? 1 : request == REQUESTS ? 2 : -1;
                if (checkpoint >= 0) {
                    counts[checkpoint] = ProcessMemory.arrays(model);
                    rss[checkpoint] = ProcessMemory.rssBytes();
                }
                if (request >= HALF && request % 1_000 == 0) {
                    secondHalf.add(ProcessMemory.rssBytes());
                }
            }
            cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        }
        System.out.printf(
                "NER Predictor, %d requests (%d sentences): model manager arrays after %d / %d / %d requests: %d / %d / %d;"
                        + " RSS %s / %s / %s, slope over the second %d requests %s; mismatches %d; loop CPU %.1f s%n",
                REQUESTS, sentencesTagged, SETTLED, HALF, REQUESTS, counts[0], counts[1], counts[2],
                ProcessMemory.mb(rss[0]), ProcessMemory.mb(rss[1]), ProcessMemory.mb(rss[2]),
                REQUESTS - HALF, ProcessMemory.mb(secondHalf.growthBytes()), mismatches, cpu);
        assertEquals(0, mismatches, "answers that differ from the trained model's own tags");
        assertEquals(counts[0], counts[1], "model manager's arrays after " + HALF + " vs " + SETTLED + " requests");
        assertEquals(counts[0], counts[2], "model manager's arrays after " + REQUESTS + " vs " + SETTLED + " requests");
        assertTrue(secondHalf.growthBytes() < MAX_RSS_SLOPE,
                "RSS grew " + ProcessMemory.mb(secondHalf.growthBytes()) + " over requests " + HALF
                        + ".." + REQUESTS + " (median rise of the lower envelope x 10; readings "
                        + secondHalf.readings() + ")");
    }

    /** The tags of the trained block, run without a Predictor or translator, in a closed manager. */
    static List<List<String>> tagDirectly(Model model, Vocab vocab, List<List<String>> sentences) {
        NerTaggerBlock block = (NerTaggerBlock) model.getBlock();
        List<List<String>> out = new ArrayList<>();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            for (List<String> tokens : sentences) {
                NDList in = NerTagging.encodeBatch(manager, vocab, List.of(tokens));
                NDList emissions = block.forward(ps, NerTagging.blockInputs(in), false);
                out.add(NerTagging.decode(block.crf(), emissions.get(0), in.get(2), vocab, List.of(tokens)).get(0).tags());
            }
        }
        return out;
    }
}
