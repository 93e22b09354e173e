package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Weight averaging in {@link NerTrainer#train}, trained with the recall cost and entity word
 * dropout on a small generated corpus: the model returned holds the plain mean of the parameters
 * a listener saw after epochs 2, 3 and 4 (each {@code onEpoch} sees the trained values, not the
 * mean swapped in for scoring), its dev F1 is the one the last epoch reported for the average,
 * epochs before averaging starts report none, and the model's manager holds as many arrays after
 * each averaged epoch as after the first.
 */
class NerTrainerAveragingTest {

    private static Map<String, float[]> values(Model model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void returnsTheMeanOfTheAveragedEpochs() throws Exception {
        SyntheticCorpus.Splits splits = SyntheticCorpus.generate(64, 20, 3);
        int epochs = 4;
        NerTrainer.Options options = new NerTrainer.Options(epochs, 16, 0.01f, 0.05f,
                new NerConfig(8, 4, 8, 0.1f, true, 4, 6, 3), 3, 1, true, false, 0.25f, 0.9f, 2, 0.5f, 2f);
        List<Map<String, float[]>> seen = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        TrainingListenerAdapter snapshots = new TrainingListenerAdapter() {
            @Override
            public void onEpoch(Trainer trainer) {
                arrays.add(io.djlgather.samples.serve.ProcessMemory.arrays(trainer.getModel()));
                seen.add(values(trainer.getModel()));
            }
        };
        NerTrainer.Result result;
        try (PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            result = NerTrainer.train(splits.train(), splits.dev(), options, quiet, snapshots);
        }
        try (Model model = result.model()) {
            assertEquals(epochs, seen.size());
            // swapping the mean in and out for scoring leaves nothing in the model's manager
            assertEquals(List.of(arrays.get(0), arrays.get(0), arrays.get(0), arrays.get(0)), arrays,
                    "model manager's arrays after each epoch (averaging from epoch 2)");
            Map<String, float[]> kept = values(model);
            int compared = 0;
            for (Map.Entry<String, float[]> e : kept.entrySet()) {
                float[] got = e.getValue();
                for (int j = 0; j < got.length; j++) {
                    double mean = ((double) seen.get(1).get(e.getKey())[j] + seen.get(2).get(e.getKey())[j]
                            + seen.get(3).get(e.getKey())[j]) / 3;
                    assertEquals(mean, got[j], 1e-6 * Math.max(1, Math.abs(mean)), e.getKey() + "[" + j + "]");
                    compared++;
                }
                boolean moved = false;
                for (int j = 0; j < got.length && !moved; j++) {
                    moved = got[j] != seen.get(3).get(e.getKey())[j];
                }
                assertTrue(moved, e.getKey() + " differs from the last epoch's values");
            }
            assertTrue(compared > 1000, compared + " values compared");
            assertTrue(Double.isNaN(result.epochs().get(1).averagedDevF1()), "epoch 1 is before averaging");
            assertEquals(result.epochs().get(epochs).averagedDevF1(), result.dev().f1(), 1e-12);
            assertEquals(epochs, result.bestEpoch());
        }
    }

    @Test
    void badOptionsAreNamed() {
        NerConfig config = new NerConfig(8, 4, 8, 0.1f, true);
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> new NerTrainer.Options(4, 16, 0.01f, 0f, config, 1, 1, false, true, 0f, 1f, 2, 0f, 0f));
        assertEquals("NerTrainer.Options: averageFrom and keepBest exclude each other; expected one of them, got averageFrom 2"
                + " with keepBest", both.getMessage());
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                () -> new NerTrainer.Options(4, 16, 0.01f, 0f, config, 1, 1, false, false, 0f, 1f, 5, 0f, 0f));
        assertEquals("NerTrainer.Options: averageFrom is out of range; expected 0 (off) to epochs (4), got 5", late.getMessage());
        IllegalArgumentException cost = assertThrows(IllegalArgumentException.class,
                () -> new NerTrainer.Options(4, 16, 0.01f, 0f, config, 1, 1, false, false, 0f, 1f, 0, 0f, -1f));
        assertEquals("NerTrainer.Options: recallCost is out of range; expected a finite cost >= 0, got -1.0", cost.getMessage());
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> new NerTrainer.Options(4, 16, 0.01f, 0f, config, 1, 1, false, false, 0f, 1f, 0, 1f, 0f));
        assertEquals("NerTrainer.Options: entityWordDropout is out of range; expected [0, 1) or AUTO (-1), got 1.0", rate.getMessage());
    }
}
