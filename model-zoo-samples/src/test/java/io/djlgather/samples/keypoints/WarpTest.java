package io.djlgather.samples.keypoints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The batched warp against a plain per-pixel bilinear loop. */
class WarpTest {

    /** The reference: inverse mapping, then bilinear interpolation of the four neighbours, 0 outside. */
    private static float[] naive(float[] image, int c, int h, int w, double[] m, int outH, int outW) {
        float[] out = new float[c * outH * outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                double u = m[0] * x + m[1] * y + m[2];
                double v = m[3] * x + m[4] * y + m[5];
                double q = m[6] * x + m[7] * y + m[8];
                if (q <= 1e-12) {
                    continue;
                }
                double sx = u / q;
                double sy = v / q;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                for (int k = 0; k < c; k++) {
                    double sum = 0;
                    for (int dy = 0; dy <= 1; dy++) {
                        for (int dx = 0; dx <= 1; dx++) {
                            int xi = x0 + dx;
                            int yi = y0 + dy;
                            double weight = (dx == 1 ? sx - x0 : 1 - (sx - x0)) * (dy == 1 ? sy - y0 : 1 - (sy - y0));
                            if (xi >= 0 && xi < w && yi >= 0 && yi < h) {
                                sum += weight * image[(k * h + yi) * w + xi];
                            }
                        }
                    }
                    out[(k * outH + y) * outW + x] = (float) sum;
                }
            }
        }
        return out;
    }

    @Test
    void matchesThePerPixelBilinearLoop() {
        Random r = new Random(17);
        int c = 3;
        int h = 7;
        int w = 9;
        Homography[] sourceOf = {
            Homography.about(4, 3, 20, 0.8, 0.1, -0.05, 0.7, -0.4).inverse(),
            Homography.translation(-1.5, 0.25),
        };
        float[][] images = new float[2][c * h * w];
        float[] flat = new float[2 * c * h * w];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < c * h * w; i++) {
                images[b][i] = (float) (255 * r.nextDouble());
                flat[b * c * h * w + i] = images[b][i];
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray in = manager.create(flat, new Shape(2, c, h, w));
            NDArray copy = in.duplicate();
            NDArray out = Warp.warp(in, sourceOf, 6, 8);
            assertEquals(new Shape(2, c, 6, 8), out.getShape());
            float[] got = out.toFloatArray();
            for (int b = 0; b < 2; b++) {
                float[] want = naive(images[b], c, h, w, sourceOf[b].matrix(), 6, 8);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[b * want.length + i], 1e-3, "image " + b + ", entry " + i);
                }
            }
            assertEquals(copy, in, "input unchanged");
        }
    }

    @Test
    void imageWarpMovesContentToTheMappedPositionAndFillsBlack() {
        BufferedImage in = TestImages.scene(20, 16, 3);
        BufferedImage same = Warp.warp(in, Homography.identity(), 20, 16);
        BufferedImage moved = Warp.warp(in, Homography.translation(2, 1), 20, 16);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(in.getRGB(x, y), same.getRGB(x, y));
                int want = x >= 2 && y >= 1 ? in.getRGB(x - 2, y - 1) : 0xFF000000;
                assertEquals(want, moved.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void roundTripOfArrayAndImage() {
        BufferedImage in = TestImages.scene(11, 7, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            BufferedImage back = Warp.toImage(Warp.toArray(manager, in).get(0));
            int[] a = in.getRGB(0, 0, 11, 7, null, 0, 11);
            int[] b = back.getRGB(0, 0, 11, 7, null, 0, 11);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray in = manager.zeros(new Shape(2, 3, 4, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Warp.warp(in, new Homography[] {Homography.identity()}, 4, 4));
            assertEquals("Warp.warp: sourceOf must have one homography per image; expected 2, got 1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Warp.warp(manager.zeros(new Shape(3, 4, 4)),
                    new Homography[] {Homography.identity()}, 4, 4));
            assertTrue(e.getMessage().startsWith("Warp.warp: images must be [B,C,H,W] float32; got (3, 4, 4)"), e.getMessage());
        }
    }
}
