package io.djlgather.samples.keypoints;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The real photographs shipped with the samples (resources under {@code
 * io/djlgather/samples/keypoints/photos/}, CC0, from scikit-image's sample data; see the {@code
 * LICENSE.md} next to them), and the held-out rule: the photo a run evaluates on is never one the
 * backbone trains on.
 */
public final class Photos {

    /** The committed photos' names (file names without {@code .png}). */
    public static final List<String> NAMES = List.of("camera", "chelsea", "coffee");

    private Photos() {}

    /**
     * A named photo.
     *
     * @param name its name, one of {@link #NAMES}
     * @param image the decoded image, at its committed size
     */
    public record Photo(String name, BufferedImage image) {}

    /**
     * Loads one committed photo.
     *
     * @param name one of {@link #NAMES}
     * @return the photo as RGB
     * @throws IllegalArgumentException if the name is not one of {@link #NAMES}
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static Photo load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("Photos.load: name must be one of " + NAMES + "; got " + name);
        }
        String resource = "photos/" + name + ".png";
        try (InputStream in = Photos.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " next to " + Photos.class.getName() + " not found");
            }
            return new Photo(name, rgb(ImageIO.read(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("Photos.load: cannot read " + resource, e);
        }
    }

    /**
     * The training photos for a run that evaluates on {@code evaluation}: every committed photo
     * whose pixels differ from it (so a committed photo given as the evaluation image, or a copy
     * of it, is held out).
     *
     * @param evaluation the evaluation image at its original size, or null for a generated scene
     * @return the photos to train on
     * @throws IllegalStateException if the held-out rule would be broken (checked after choosing)
     */
    public static List<Photo> trainingSet(BufferedImage evaluation) {
        List<Photo> out = new ArrayList<>();
        for (String name : NAMES) {
            Photo p = load(name);
            if (evaluation == null || !samePixels(p.image(), evaluation)) {
                out.add(p);
            }
        }
        for (Photo p : out) {
            if (evaluation != null && samePixels(p.image(), evaluation)) {
                throw new IllegalStateException("Photos.trainingSet: the evaluation photo " + p.name() + " is in the training set");
            }
        }
        return out;
    }

    /**
     * Returns an image as 8-bit RGB ({@code TYPE_INT_RGB}), drawn with Java2D: the one conversion
     * every image of the keypoint sample goes through, the committed photos ({@link #load}) and a
     * file given with {@code --image} alike. Java2D converts a grey image (such as {@code
     * camera.png}) differently when it is drawn than when {@code getRGB} reads it, so comparing
     * or evaluating images without this step would see two versions of one photo.
     *
     * @param image any decoded image
     * @return a new RGB image of the same size
     */
    public static BufferedImage rgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics g = rgb.getGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /**
     * Returns whether two images have the same size and the same RGB values once both are
     * converted by {@link #rgb} (so a grey PNG and its RGB rendering are the same photo).
     *
     * @param a an image
     * @param b another
     * @return whether they are equal pixel for pixel
     */
    public static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        int w = a.getWidth();
        int h = a.getHeight();
        int[] pa = rgb(a).getRGB(0, 0, w, h, null, 0, w);
        int[] pb = rgb(b).getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pa.length; i++) {
            pa[i] &= 0xFFFFFF;
            pb[i] &= 0xFFFFFF;
        }
        return Arrays.equals(pa, pb);
    }
}
