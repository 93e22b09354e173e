package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed photos load, and the held-out rule keeps the evaluation photo out of training. */
class PhotosTest {

    @TempDir Path dir;

    @Test
    void committedPhotosLoadAtTheirSize() {
        assertEquals(512, Photos.load("camera").image().getWidth());
        assertEquals(300, Photos.load("chelsea").image().getHeight());
        assertEquals(600, Photos.load("coffee").image().getWidth());
    }

    @Test
    void theEvaluationPhotoIsNeverInTheTrainingSet() throws Exception {
        for (String held : Photos.NAMES) {
            BufferedImage evaluation = Photos.load(held).image();
            List<String> training = Photos.trainingSet(evaluation).stream().map(Photos.Photo::name).toList();
            assertFalse(training.contains(held), held + " held out, trained on " + training);
            assertEquals(Photos.NAMES.stream().filter(n -> !n.equals(held)).toList(), training);
            for (Photos.Photo p : Photos.trainingSet(evaluation)) {
                assertFalse(Photos.samePixels(p.image(), evaluation), p.name());
            }
            // a copy written elsewhere and read back (as --image FILE does) is held out too
            File copy = dir.resolve("copy-of-" + held + ".png").toFile();
            ImageIO.write(evaluation, "png", copy);
            List<String> fromFile = Photos.trainingSet(ImageIO.read(copy)).stream().map(Photos.Photo::name).toList();
            assertFalse(fromFile.contains(held), held + " read from a file, trained on " + fromFile);
        }
        // a generated scene (no evaluation photo) trains on all three
        assertEquals(Photos.NAMES, Photos.trainingSet(null).stream().map(Photos.Photo::name).toList());
        // one changed pixel is another image
        BufferedImage changed = Photos.load("chelsea").image();
        changed.setRGB(5, 5, changed.getRGB(5, 5) ^ 1);
        assertTrue(Photos.trainingSet(changed).stream().anyMatch(p -> p.name().equals("chelsea")));
    }
}
