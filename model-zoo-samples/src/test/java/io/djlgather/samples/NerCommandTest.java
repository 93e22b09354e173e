package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real learning check: on the generated corpus (500 train / 200 dev sentences, half of the dev
 * names and a third of the dev templates never seen in training, seed 42) three epochs reach dev
 * entity F1 0.839 here with the character CNN (DJL 0.36, PyTorch 2.7.1 CPU; untrained 0.025,
 * epoch 1 0.541, epoch 2 0.775; 0.862 before the character CNN), while the
 * most-frequent-tag-per-word baseline scores 0.364 on the same split; the assertions keep a
 * margin for other CPUs' float order.
 */
class NerCommandTest {

    /** Measured 0.839 at these settings; one epoch gives 0.541, an untrained tagger 0.025. */
    static final double MIN_DEV_F1 = 0.75;
    /** The untrained tagger and the baseline must stay clearly below a trained one. */
    static final double MAX_UNTRAINED_F1 = 0.2;
    static final double MAX_BASELINE_F1 = 0.5;

    @TempDir Path out;

    @Test
    void learnsTheGeneratedCorpusAndReloadsThroughTheZoo() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        NerCommand.Summary s;
        try (PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            s = new NerCommand().configure(out, 42, 500, 200, 3).run(print);
        }
        String log = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(log);
        assertTrue(s.devF1() >= MIN_DEV_F1, "dev F1 " + s.devF1() + " < " + MIN_DEV_F1);
        assertTrue(s.untrainedF1() <= MAX_UNTRAINED_F1, "untrained F1 " + s.untrainedF1());
        assertTrue(s.baselineF1() <= MAX_BASELINE_F1, "baseline F1 " + s.baselineF1());
        // the corpus is not trivial: the tagger is far from perfect and far above the baseline
        assertTrue(s.devF1() < 0.98, "dev F1 " + s.devF1() + ": the generated corpus became too easy");
        assertTrue(s.devF1() - s.baselineF1() >= 0.25, "dev F1 " + s.devF1() + " vs baseline " + s.baselineF1());
        // the model reloaded through Criteria/ZooModel tags dev exactly as the trained one
        assertEquals(s.devF1(), s.reloadedF1(), 1e-12);
        assertTrue(log.contains("epoch 0/3 (untrained): train loss"), log);
        assertTrue(log.contains("epoch 3/3: train loss"), log);
        assertTrue(Files.size(s.lossPlot()) > 1000);
        assertTrue(Files.isRegularFile(s.modelDir().resolve("ner-bilstm-crf-0000.params")));
    }
}
