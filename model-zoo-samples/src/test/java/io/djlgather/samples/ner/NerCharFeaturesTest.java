package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tagger's character CNN, computed for a whole padded batch at once, against a plain-Java
 * loop over each word (embedding rows, a width-3 cross-correlation with zero padding, the
 * maximum over the word's characters), and independent of the batch the word is in; a saved
 * tagger with characters reloads through {@link NerModels} and tags as before.
 */
class NerCharFeaturesTest {

    @TempDir Path dir;

    private static final List<Sentence> TRAIN = List.of(
            new Sentence(List.of("Bob", "lives", "in", "Paris"), List.of("B-PER", "O", "O", "B-LOC")),
            new Sentence(List.of("Ann", "met", "Jean-Pierre", "Dupont"), List.of("B-PER", "O", "B-PER", "I-PER")));

    private static final NerConfig CONFIG = new NerConfig(6, 3, 5, 0.2f, true, 4, 7, 3);

    private static float[] values(NerTaggerBlock block, String suffix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + suffix + " in " + block.getParameters().keys());
    }

    /** out[f] = max over the word's characters p of bias[f] + sum_{c,d} W[f][c][d] * x[c][p+d-1], x = 0 outside the word. */
    private static float[] reference(NerTaggerBlock block, Vocab vocab, String token) {
        float[] table = values(block, "charTable");
        float[] weight = values(block, "charConv_weight");
        float[] bias = values(block, "charConv_bias");
        int dc = CONFIG.charDim();
        int filters = CONFIG.charFilters();
        int width = CONFIG.charWidth();
        long[] ids = new long[Vocab.MAX_WORD_CHARS];
        int n = vocab.charIds(token, ids, 0);
        float[] out = new float[filters];
        Arrays.fill(out, Float.NEGATIVE_INFINITY);
        for (int p = 0; p < n; p++) {
            for (int f = 0; f < filters; f++) {
                double sum = bias[f];
                for (int c = 0; c < dc; c++) {
                    for (int d = 0; d < width; d++) {
                        int q = p + d - width / 2;
                        if (q >= 0 && q < n) {
                            sum += weight[(f * dc + c) * width + d] * table[(int) ids[q] * dc + c];
                        }
                    }
                }
                out[f] = Math.max(out[f], (float) sum);
            }
        }
        return out;
    }

    private static float[] features(NerTaggerBlock block, NDManager manager, Vocab vocab, List<List<String>> batch) {
        NDList in = NerTagging.encodeBatch(manager, vocab, batch);
        ParameterStore ps = new ParameterStore(manager, false);
        return block.charFeatures(ps, in.get(0), in.get(3), false).toFloatArray();
    }

    @Test
    void batchedFeaturesMatchAPerWordLoopAndDoNotDependOnTheBatch() {
        Vocab vocab = Vocab.build(TRAIN, 1, true);
        try (Model model = Model.newInstance("chars")) {
            NerTaggerBlock block = new NerTaggerBlock(vocab, CONFIG);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32,
                    new Shape(2, 4), new Shape(2, 4), new Shape(2, 4, 11));
            List<List<String>> batch = List.of(
                    List.of("Bob", "zq"),                                    // short words, padded to 3 tokens
                    List.of("Jean-Pierre", "x", "Supercalifragilisticexpialidocious")); // longer than 20 characters
            try (NDManager manager = model.getNDManager().newSubManager()) {
                float[] got = features(block, manager, vocab, batch);
                int filters = CONFIG.charFilters();
                int steps = 3;
                for (int b = 0; b < batch.size(); b++) {
                    for (int t = 0; t < steps; t++) {
                        float[] want = t < batch.get(b).size()
                                ? reference(block, vocab, batch.get(b).get(t))
                                : new float[filters]; // padded word: zeros
                        for (int f = 0; f < filters; f++) {
                            assertEquals(want[f], got[(b * steps + t) * filters + f], 1e-5,
                                    "word " + b + "," + t + " filter " + f);
                        }
                    }
                }
                // the first sentence alone: a shorter batch (fewer tokens, shorter words) gives the same features
                float[] alone = features(block, manager, vocab, List.of(batch.get(0)));
                for (int i = 0; i < 2 * filters; i++) {
                    assertEquals(got[i], alone[i], 1e-5, "alone vs batched, value " + i);
                }
                // an unknown character reads the unknown row: "zq" differs from padding
                float[] zq = reference(block, vocab, "zq");
                assertTrue(zq[0] != 0 || zq[1] != 0, Arrays.toString(zq));
            }
        }
    }

    @Test
    void missingCharactersAreAnErrorAndTheOldLayoutStillWorks() {
        Vocab vocab = Vocab.build(TRAIN, 1);
        try (Model model = Model.newInstance("chars")) {
            NerTaggerBlock block = new NerTaggerBlock(vocab, CONFIG);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2), new Shape(1, 2, 3));
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDList in = NerTagging.encodeBatch(manager, vocab, List.of(List.of("Bob", "lives")));
                ParameterStore ps = new ParameterStore(manager, false);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> block.forward(ps, new NDList(in.get(0), in.get(1)), false));
                assertEquals("NerTaggerBlock.forward: inputs lack the characters; expected (words [B,T], shapes [B,T],"
                        + " chars [B,T,L]), got 2 arrays", e.getMessage());
                NDArray wrong = manager.zeros(new Shape(1, 3, 4), DataType.INT64);
                IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                        () -> block.forward(ps, new NDList(in.get(0), in.get(1), wrong), false));
                assertEquals("NerTaggerBlock.forward: chars has the wrong shape; expected [1,2,L], got (1, 3, 4)", shape.getMessage());
            }
        }
        // a tagger without characters (as saved before the character CNN) reads words and shapes only
        NerTaggerBlock plain = new NerTaggerBlock(vocab, new NerConfig(6, 3, 5, 0.2f, true));
        try (Model model = Model.newInstance("plain")) {
            model.setBlock(plain);
            plain.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDList in = NerTagging.encodeBatch(manager, vocab, List.of(List.of("Bob", "lives")));
                NDList out = plain.forward(new ParameterStore(manager, false), new NDList(in.get(0), in.get(1)), false);
                assertEquals(new Shape(1, 2, vocab.tagCount()), out.get(0).getShape());
            }
        }
    }

    @Test
    void savedTaggerWithCharactersReloadsAndTagsTheSame() throws Exception {
        NerTrainer.Options options = new NerTrainer.Options(1, 2, 0.01f, 0.1f, CONFIG, 3, 1, true, false);
        NerTrainer.Result result = NerTrainer.train(TRAIN, TRAIN, options, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        List<String> input = List.of("Bob met Dupont in Paris", "Ann lives in Zürich");
        List<List<String>> direct;
        try (Model trained = result.model()) {
            direct = NerPredictorLifecycleTest.tagDirectly(trained, result.vocab(),
                    input.stream().map(s -> List.of(s.split(" "))).toList());
            NerModels.save(trained, result.vocab(), dir);
        }
        try (var loaded = NerModels.load(dir); var predictor = loaded.newPredictor()) {
            assertTrue(((NerTaggerBlock) loaded.getBlock()).config().chars());
            List<TaggedSentence> tagged = predictor.batchPredict(input);
            for (int i = 0; i < input.size(); i++) {
                assertEquals(direct.get(i), tagged.get(i).tags(), input.get(i));
            }
        }
    }
}
