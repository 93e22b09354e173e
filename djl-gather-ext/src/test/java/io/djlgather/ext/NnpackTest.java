package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NnpackTest {

    @Test
    void disableSwitchesNnpackOffAndConvolutionsStillMatchANaiveLoop() {
        assertTrue(Nnpack.disable(), "libtorch_cpu's NNPACK switch could not be set");
        assertEquals(Boolean.FALSE, Nnpack.isUserEnabled());
        assertTrue(Nnpack.disable(), "a second call answers as the first");

        // The case that asks for NNPACK: float32, batch 1, 3x3 kernel, small input, stride 1.
        int c = 2;
        int h = 5;
        int w = 6;
        int k = 3;
        int o = 3;
        Random random = new Random(7);
        float[] x = new float[c * h * w];
        float[] wt = new float[o * c * k * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(x, new Shape(1, c, h, w));
            NDArray weight = manager.create(wt, new Shape(o, c, k, k));
            float[] got = Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow().toFloatArray();
            float[] want = new float[o * h * w];
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        double sum = 0;
                        for (int ic = 0; ic < c; ic++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int yy = y + dy - 1;
                                    int xs = xx + dx - 1;
                                    if (yy >= 0 && yy < h && xs >= 0 && xs < w) {
                                        sum += (double) x[(ic * h + yy) * w + xs] * wt[((oc * c + ic) * k + dy) * k + dx];
                                    }
                                }
                            }
                        }
                        want[(oc * h + y) * w + xx] = (float) sum;
                    }
                }
            }
            assertArrayEquals(want, got, 1e-4f);
        }
    }
}
