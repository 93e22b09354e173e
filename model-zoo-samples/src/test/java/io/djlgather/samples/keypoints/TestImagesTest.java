package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class TestImagesTest {

    private static int red(BufferedImage image, int x, int y) {
        return (image.getRGB(x, y) >> 16) & 255;
    }

    @Test
    void perturbedFollowsItsFormulaPixelByPixel() {
        BufferedImage in = TestImages.scene(40, 30, 5);
        int before = in.getRGB(3, 4);
        BufferedImage plain = TestImages.perturbed(in, 2, 1, 0, 1, 0, 9);
        BufferedImage toned = TestImages.perturbed(in, 2, 1, 0, 1.6, 0, 9);
        for (int y = 1; y < 30; y++) {
            for (int x = 2; x < 40; x++) {
                double v = 0.85 * red(in, x - 2, y - 1) + 20;
                assertEquals(Math.round(v), red(plain, x, y));
                assertEquals(Math.round(255 * Math.pow(v / 255, 1.6)), red(toned, x, y));
            }
        }
        assertEquals(before, in.getRGB(3, 4), "input unchanged");
        // the old entry point is the same copy without blur and gamma
        BufferedImage shifted = TestImages.shifted(in, 2, 1, 0.05, 9);
        BufferedImage same = TestImages.perturbed(in, 2, 1, 0, 1, 0.05, 9);
        assertEquals(shifted.getRGB(17, 11), same.getRGB(17, 11));
    }

    @Test
    void contrastAndBrightnessFollowTheirFormulaAndClamp() {
        BufferedImage in = TestImages.scene(40, 30, 5);
        BufferedImage out = TestImages.perturbed(in, -3, 2, 0, 1.3, -40, 0.7, 0, 9);
        for (int y = 2; y < 30; y++) {
            for (int x = 0; x < 37; x++) {
                double v = Math.max(0, Math.min(255, 1.3 * red(in, x + 3, y - 2) - 40));
                assertEquals(Math.round(255 * Math.pow(v / 255, 0.7)), red(out, x, y));
            }
        }
        // the short form is contrast 0.85, brightness +20
        assertEquals(TestImages.perturbed(in, 1, 1, 1.2, 1.6, 0.08, 3).getRGB(20, 12),
                TestImages.perturbed(in, 1, 1, 1.2, 0.85, 20, 1.6, 0.08, 3).getRGB(20, 12));
    }

    @Test
    void blurKeepsAFlatImageAndAveragesAnEdge() {
        BufferedImage in = new BufferedImage(21, 5, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 21; x++) {
            for (int y = 0; y < 5; y++) {
                in.setRGB(x, y, x < 10 ? 0 : 0xC8C8C8);
            }
        }
        BufferedImage out = TestImages.perturbed(in, 0, 0, 1.0, 1, 0, 1);
        assertEquals(20, red(out, 0, 2));
        assertEquals(Math.round(0.85 * 200 + 20), red(out, 20, 2));
        int left = red(out, 9, 2);
        int right = red(out, 10, 2);
        // a symmetric kernel around the edge between x = 9 and x = 10
        assertEquals(0.85 * 200 + 40, left + right, 1.0);
    }
}
