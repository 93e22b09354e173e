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
        // the committed files themselves, decoded as --image decodes them (camera.png is grey:
        // Java2D's getRGB of it differs from its RGB rendering, and the held-out rule once missed it)
        for (String held : Photos.NAMES) {
            File file = dir.resolve(held + ".png").toFile();
            try (java.io.InputStream in = Photos.class.getResourceAsStream("photos/" + held + ".png")) {
                java.nio.file.Files.copy(in, file.toPath());
            }
            BufferedImage raw = ImageIO.read(file);
            List<String> fromCommitted = Photos.trainingSet(raw).stream().map(Photos.Photo::name).toList();
            assertEquals(Photos.NAMES.stream().filter(n -> !n.equals(held)).toList(), fromCommitted,
                    "the committed " + held + ".png (image type " + raw.getType() + ") given as the evaluation image");
            assertTrue(Photos.samePixels(raw, Photos.load(held).image()), held);
        }
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, ImageIO.read(Photos.class.getResource("photos/camera.png")).getType(),
                "camera.png is the grey case this test is about");
        // a generated scene (no evaluation photo) trains on all three
        assertEquals(Photos.NAMES, Photos.trainingSet(null).stream().map(Photos.Photo::name).toList());
        // one changed pixel is another image
        BufferedImage changed = Photos.load("chelsea").image();
        changed.setRGB(5, 5, changed.getRGB(5, 5) ^ 1);
        assertTrue(Photos.trainingSet(changed).stream().anyMatch(p -> p.name().equals("chelsea")));
    }
}
