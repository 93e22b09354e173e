package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import io.djlgather.ext.Nnpack;
import io.djlgather.samples.ner.TaggedSentence;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each subcommand end to end on tiny settings. */
class EndToEndTest {

    @TempDir Path out;

    @BeforeAll
    static void quietNnpack() {
        Nnpack.disable(); // as Main does: no NNPACK log line per convolution on unsupported CPUs
    }

    private static PrintStream quiet(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    @Test
    void keypointsWritesPictureAndCsvAndBeatsChance() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        KeypointsCommand command = new KeypointsCommand().configure(out, 7, 128, 24);
        // the mild copy of earlier versions (no blur or gamma change, low noise): random-weight
        // features must still find far more than chance; the default, harder copy is in the log
        command.trainSteps = 0;
        command.blur = 0;
        command.gamma = 1;
        command.noise = 0.04;
        KeypointsCommand.Summary s = command.run(quiet(buffer));
        String log = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("second image: homography: rotated 0.0 degrees, scaled 1.00, perspective 0.00, shifted by (7,5); blur sigma 0.0 px") && log.contains("verdict: "), log);
        assertEquals(0.0, s.reloadDiff(), "zoo-loaded backbone must give the same features");
        assertEquals(128, s.channels());
        assertTrue(s.bilinearRate() > 5 * s.chance(), "bilinear match rate " + s.bilinearRate());
        var image = ImageIO.read(s.picture().toFile());
        assertEquals(2 * 2 * 128 + 16, image.getWidth());
        List<String> rows = Files.readAllLines(s.csv());
        assertEquals(s.keypoints() + 1, rows.size());
        assertEquals(3 + 128, rows.get(0).split(",").length);
    }

    @Test
    void keypointTrainingThroughSampleBilinearBeatsRandomWeights() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        // the default, harder copy (blur, gamma, contrast, noise; no rotation); 60 steps on crops of
        // the committed photos and generated scenes under random homographies, hard negatives.
        // Measured: loss 3.052 -> 2.711, trained 0.636, random weights 0.136, chance 0.045 (22 keypoints)
        KeypointsCommand command = new KeypointsCommand().configure(out, 7, 128, 24);
        command.trainSteps = 60;
        KeypointsCommand.Summary s = command.run(quiet(buffer));
        String log = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(60, s.trainSteps());
        assertTrue(s.lastLoss() < s.firstLoss() - 0.2, "InfoNCE loss " + s.firstLoss() + " -> " + s.lastLoss() + "\n" + log);
        assertTrue(s.bilinearRate() >= 0.5, "trained bilinear match rate " + s.bilinearRate() + "\n" + log);
        assertTrue(s.bilinearRate() >= s.randomBilinearRate() + 0.3,
                "trained " + s.bilinearRate() + " vs random weights " + s.randomBilinearRate() + "\n" + log);
        assertEquals(0.0, s.reloadDiff(), "zoo-loaded trained backbone must give the same features");
        assertTrue(log.contains("CNN (random weights), sampleBilinear"), log);
    }

    @Test
    void serveDemoTrainsIfMissingAndAnswersLikeSinglePredictions() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ServeDemoCommand.Summary s = new ServeDemoCommand().configure(out, 3, 4, 10).run(quiet(buffer));
        String log = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("training a small one first"), log);
        assertEquals(0, s.single().mismatches());
        assertEquals(0, s.batched().mismatches());
        assertEquals(40, s.batched().requests());
        assertTrue(s.batched().throughput() > 0 && s.batched().p99() >= s.batched().p50());
        // the memory lines: the predictors of both phases are closed, so the model's manager holds
        // what it held after the reference pass (its parameters and the CRF's cached penalties)
        assertTrue(log.contains("memory, model loaded: model manager") && log.contains("memory, end (120 sentences served)"), log);
        assertEquals(s.afterReference().arrays(), s.end().arrays(), log);
        assertTrue(s.loaded().arrays() > 0 && s.end().rssBytes() > 0, log);
    }

    @Test
    void allRunsThroughMainWithTinySettings() {
        int code = Main.execute("all", "--out", out.toString(), "--epochs", "1", "--train-size", "100", "--requests", "3",
                "--train-steps", "2");
        assertEquals(0, code);
        assertTrue(Files.isRegularFile(out.resolve("keypoints.png")));
        assertTrue(Files.isRegularFile(out.resolve("ner-loss.png")));
    }

    @Test
    void zooSaysWhichSampleBuildsAMissingArtifact() {
        System.setProperty(SamplesHome.ZOO_PROPERTY, out.resolve("empty-zoo").toString());
        Criteria<String, TaggedSentence> criteria =
                Criteria.builder().setTypes(String.class, TaggedSentence.class).optArtifactId("ner-bilstm-crf").build();
        ModelNotFoundException e = org.junit.jupiter.api.Assertions.assertThrows(ModelNotFoundException.class, criteria::loadModel);
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        assertTrue(cause.getMessage().contains("run the 'ner' sample"), cause.getMessage());
    }
}
