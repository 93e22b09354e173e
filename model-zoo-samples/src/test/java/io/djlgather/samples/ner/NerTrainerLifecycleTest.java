package io.djlgather.samples.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.djlgather.samples.serve.ProcessMemory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NerTrainer#train} over 5 epochs of a small generated corpus: the model's manager holds as
 * many arrays after epoch 5 as after epoch 1 (counted by a DJL {@code TrainingListener} at each
 * {@code onEpoch}, after the epoch's steps and dev scoring). Before the ownership rule every epoch
 * left ~460 arrays there (985 after 1 epoch, 2,377 after 4). The loss falling shows the steps
 * ran forward and backward.
 */
class NerTrainerLifecycleTest {

    static final int EPOCHS = 5;

    @Test
    void fiveEpochsLeaveTheModelsManagerAsTheFirstLeftIt() throws Exception {
        SyntheticCorpus.Splits splits = SyntheticCorpus.generate(80, 20, 9);
        NerTrainer.Options options =
                new NerTrainer.Options(EPOCHS, 16, 0.01f, 0.1f, new NerConfig(8, 4, 8, 0.1f, true, 4, 6, 3), 9);
        List<Integer> counts = new ArrayList<>();
        TrainingListenerAdapter counter = new TrainingListenerAdapter() {
            @Override
            public void onEpoch(Trainer trainer) {
                counts.add(ProcessMemory.arrays(trainer.getModel()));
            }
        };
        NerTrainer.Result result;
        try (PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            result = NerTrainer.train(splits.train(), splits.dev(), options, quiet, counter);
        }
        int afterTraining;
        try (Model model = result.model()) {
            afterTraining = ProcessMemory.arrays(model);
        }
        System.out.printf("NER Trainer, %d epochs of %d sentences: model manager arrays after each epoch %s, after training %d;"
                        + " loss %.3f (untrained) -> %.3f (epoch %d)%n",
                EPOCHS, splits.train().size(), counts, afterTraining,
                result.epochs().get(0).loss(), result.epochs().get(EPOCHS).loss(), EPOCHS);
        assertEquals(EPOCHS, counts.size(), "onEpoch calls");
        for (int epoch = 2; epoch <= EPOCHS; epoch++) {
            assertEquals(counts.get(0), counts.get(epoch - 1),
                    "model manager's arrays after epoch " + epoch + " vs epoch 1");
        }
        assertTrue(result.epochs().get(EPOCHS).loss() < result.epochs().get(0).loss(),
                "CRF loss should fall: " + result.epochs());
    }
}
