package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlgather.ext.Nnpack;
import io.djlgather.samples.keypoints.Photos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The held-out rule of {@code keypoints} (the evaluation photo is never a training photo), and its option checks. */
class KeypointsHeldOutTest {

    @TempDir Path out;

    @BeforeAll
    static void quietNnpack() {
        Nnpack.disable();
    }

    @Test
    void refusesToTrainOnTheEvaluationPhoto() {
        KeypointsCommand command = new KeypointsCommand().configure(out, 7, 96, 8);
        Photos.Photo chelsea = Photos.load("chelsea");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> command.run(
                quiet, chelsea.image(), "chelsea", List.of(Photos.load("camera"), chelsea), 1, 15, 0.85, 96));
        assertEquals("keypoints: the evaluation photo chelsea is among the training photos", e.getMessage());
    }

    @Test
    void heldOutTableTrainsOnTheOtherTwoPhotosForEach() throws Exception {
        KeypointsCommand command = new KeypointsCommand().configure(out, 7, 96, 8);
        command.heldOutSteps = 1; // the rule, not the figures: one step each
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<KeypointsCommand.Summary> rows = command.heldOutTable(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String log = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(3, rows.size());
        assertTrue(log.contains("held out: camera; training photos: [chelsea, coffee]"), log);
        assertTrue(log.contains("held out: chelsea; training photos: [camera, coffee]"), log);
        assertTrue(log.contains("held out: coffee; training photos: [camera, chelsea]"), log);
        assertTrue(log.contains("rotated 15.0 degrees, scaled 0.85"), log);
        assertTrue(log.contains("| chelsea | "), log);
        for (KeypointsCommand.Summary s : rows) {
            assertEquals(1, s.trainSteps());
            assertTrue(s.keypoints() >= 2 && s.keypoints() <= 8, "keypoints " + s.keypoints());
        }
    }

    @Test
    void badTransformOptionsNameTheOptionAndValue() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        KeypointsCommand command = new KeypointsCommand().configure(out, 7, 64, 8);
        command.trainSteps = 0;
        command.scale = 0.0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command.run(quiet));
        assertEquals("keypoints: --scale must be finite and > 0; got 0.0", e.getMessage());
        command.scale = null;
        command.perspective = 1.2;
        e = assertThrows(IllegalArgumentException.class, () -> command.run(quiet));
        assertEquals("keypoints: --perspective must be in (-1, 1); got 1.2", e.getMessage());
        command.perspective = 0;
        command.shift = new int[] {500, 0}; // every corner of a 64-pixel scene leaves the frame
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> command.run(quiet));
        assertTrue(gone.getMessage().startsWith("keypoints: found 0 corners in the first image whose mapped position stays inside"),
                gone.getMessage());
    }
}
