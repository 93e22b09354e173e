package io.djlgather.ext.cv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.output.Joints;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.djlgather.ext.cv.PixelReference.Snapshot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * gatherPixels, sampleBilinear and pixelPoints against naive loops ({@link PixelReference}),
 * gradients against central finite differences in float64, and bad inputs.
 */
class PixelGatherTest {

    private static final int B = 2;
    private static final int C = 3;
    private static final int H = 4;
    private static final int W = 5;

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static double[] randomFeatures(Random r) {
        double[] f = new double[B * C * H * W];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextDouble() * 4 - 2;
        }
        return f;
    }

    private static NDArray features(NDManager m, double[] f, DataType type) {
        return m.create(f, new Shape(B, C, H, W)).toType(type, false);
    }

    // ---------------------------------------------------------------------------------------
    // gatherPixels

    static Stream<Arguments> gatherCases() {
        List<Arguments> cases = new ArrayList<>();
        for (OutOfBounds policy : OutOfBounds.values()) {
            for (DataType index : new DataType[] {DataType.INT32, DataType.INT64}) {
                for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64, DataType.INT64}) {
                    cases.add(Arguments.of(policy, index, type));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, coords {1}, features {2}")
    @MethodSource("gatherCases")
    void gatherPixelsMatchesNaiveLoops(OutOfBounds policy, DataType indexType, DataType type) {
        Random r = new Random(("gather" + policy + indexType + type).hashCode());
        int n = 7;
        double[] f = randomFeatures(r);
        if (type == DataType.INT64) {
            for (int i = 0; i < f.length; i++) {
                f[i] = Math.round(f[i] * 10);
            }
        }
        long[] coords = new long[B * n * 2];
        for (int i = 0; i < B * n; i++) {
            boolean outside = policy != OutOfBounds.ERROR && i % 3 == 1;
            coords[2 * i] = outside ? r.nextInt(3 * H) - H : r.nextInt(H);
            coords[2 * i + 1] = outside ? r.nextInt(3 * W) - W : r.nextInt(W);
        }
        if (policy != OutOfBounds.ERROR) {
            coords[2] = -1; // sure to be outside: point 1 of batch 0
            coords[3] = W;
        }
        // corners of the map, which a wrong linear index (x * H + y, say) gets wrong
        coords[0] = H - 1;
        coords[1] = 0;
        coords[coords.length - 2] = 0;
        coords[coords.length - 1] = W - 1;
        try (NDManager m = manager.newSubManager()) {
            NDArray fNd = features(m, f, type);
            NDArray cNd = m.create(coords, new Shape(B, n, 2)).toType(indexType, false);
            Snapshot before = new Snapshot(fNd, cNd);
            NDArray out = PixelGather.gatherPixels(fNd, cNd, policy);
            assertEquals(new Shape(B, n, C), out.getShape());
            assertEquals(type, out.getDataType());
            assertSame(fNd.getManager(), out.getManager());
            assertEquals(fNd.getDevice(), out.getDevice());
            double[] want = PixelReference.gatherPixels(f, B, C, H, W, coords, n, policy);
            PixelReference.assertClose(want, out, type == DataType.FLOAT32 ? 1e-6 : 0, "gather");
            before.assertUnchanged("gatherPixels");
        }
    }

    /** [B,C,H,W] values laid out as [B,H,W,C] (channels-last memory). */
    private static double[] toChannelsLast(double[] f) {
        double[] last = new double[f.length];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        last[((b * H + y) * W + x) * C + c] = f[((b * C + c) * H + y) * W + x];
                    }
                }
            }
        }
        return last;
    }

    static Stream<Arguments> channelsLastCases() {
        List<Arguments> cases = new ArrayList<>();
        for (OutOfBounds policy : OutOfBounds.values()) {
            for (DataType index : new DataType[] {DataType.INT32, DataType.INT64}) {
                cases.add(Arguments.of(policy, index));
            }
        }
        return cases.stream();
    }

    /**
     * Channels-last features (a [B,C,H,W] view of [B,H,W,C] data) take their own path in the op
     * library (rows of a [B*H*W,C] view); the values, policies and dtype are the same.
     */
    @ParameterizedTest(name = "{0}, coords {1}")
    @MethodSource("channelsLastCases")
    void gatherPixelsOnChannelsLastFeaturesMatchesNaiveLoops(OutOfBounds policy,
            DataType indexType) {
        Random r = new Random(("last" + policy + indexType).hashCode());
        int n = 9;
        double[] f = randomFeatures(r);
        long[] coords = new long[B * n * 2];
        for (int i = 0; i < B * n; i++) {
            boolean outside = policy != OutOfBounds.ERROR && i % 3 == 1;
            coords[2 * i] = outside ? r.nextInt(3 * H) - H : r.nextInt(H);
            coords[2 * i + 1] = outside ? r.nextInt(3 * W) - W : r.nextInt(W);
        }
        coords[0] = H - 1;
        coords[1] = 0;
        coords[coords.length - 2] = 0;
        coords[coords.length - 1] = W - 1;
        try (NDManager m = manager.newSubManager()) {
            NDArray nhwc = m.create(toChannelsLast(f), new Shape(B, H, W, C))
                    .toType(DataType.FLOAT32, false);
            NDArray fNd = nhwc.transpose(0, 3, 1, 2);
            NDArray cNd = m.create(coords, new Shape(B, n, 2)).toType(indexType, false);
            Snapshot before = new Snapshot(fNd, cNd);
            NDArray out = PixelGather.gatherPixels(fNd, cNd, policy);
            assertEquals(new Shape(B, n, C), out.getShape());
            assertEquals(DataType.FLOAT32, out.getDataType());
            double[] want = PixelReference.gatherPixels(f, B, C, H, W, coords, n, policy);
            PixelReference.assertClose(want, out, 1e-6, "gather, channels-last");
            before.assertUnchanged("gatherPixels");
        }
    }

    @Test
    void gatherPixelsOnChannelsLastFeaturesNamesTheFirstBadPointAndGivesGradients() {
        try (NDManager m = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray nhwc = m.create(toChannelsLast(randomFeatures(new Random(4))),
                    new Shape(B, H, W, C));
            NDArray bad = m.create(new long[] {0, 0, 1, 1, 2, 2, 3, 4, H, 0, 0, -1},
                    new Shape(B, 3, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PixelGather.gatherPixels(nhwc.transpose(0, 3, 1, 2), bad));
            assertEquals("gatherPixels: coords has a point outside the feature map at batch 1,"
                    + " point 1; expected y in [0, 4) and x in [0, 5), got (y, x) = (4, 0)",
                    e.getMessage());
            nhwc.setRequiresGradient(true);
            // batch 0 reads (1, 2) twice and one outside point; batch 1 reads (3, 0)
            long[] coords = {1, 2, 1, 2, 9, 9, 3, 0, 3, 0, 3, 0};
            NDArray c = m.create(coords, new Shape(B, 3, 2));
            NDArray out = PixelGather.gatherPixels(nhwc.transpose(0, 3, 1, 2), c,
                    OutOfBounds.ZERO);
            collector.backward(out.sum());
            double[] want = new double[B * C * H * W];
            for (int ch = 0; ch < C; ch++) {
                want[(ch * H + 1) * W + 2] = 2;
                want[((C + ch) * H + 3) * W] = 3;
            }
            assertArrayEquals(toChannelsLast(want), nhwc.getGradient().toDoubleArray());
        }
    }

    @Test
    void gatherPixelsDefaultsToErrorAndNamesTheFirstBadPoint() {
        try (NDManager m = manager.newSubManager()) {
            NDArray f = features(m, randomFeatures(new Random(1)), DataType.FLOAT32);
            long[] coords = {0, 0, 1, 1, 2, 2, /* batch 1 */ 3, 4, H, 0, 0, -1};
            NDArray c = m.create(coords, new Shape(B, 3, 2));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PixelGather.gatherPixels(f, c));
            assertEquals("gatherPixels: coords has a point outside the feature map at batch 1,"
                    + " point 1; expected y in [0, 4) and x in [0, 5), got (y, x) = (4, 0)",
                    e.getMessage());
            long[] negative = {0, 0, 0, -1, 2, 2, 3, 4, 0, 0, 0, 0};
            NDArray c2 = m.create(negative, new Shape(B, 3, 2)).toType(DataType.INT32, false);
            e = assertThrows(IllegalArgumentException.class,
                    () -> PixelGather.gatherPixels(f, c2, OutOfBounds.ERROR));
            assertTrue(e.getMessage().contains("at batch 0, point 1")
                    && e.getMessage().endsWith("got (y, x) = (0, -1)"), e.getMessage());
        }
    }

    @Test
    void gatherPixelsGradientAddsIntoTheGatheredPixels() {
        try (NDManager m = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray f = features(m, randomFeatures(new Random(2)), DataType.FLOAT64);
            f.setRequiresGradient(true);
            // batch 0 reads (1, 2) twice and one outside point; batch 1 reads (3, 0)
            long[] coords = {1, 2, 1, 2, 9, 9, 3, 0, 3, 0, 3, 0};
            NDArray c = m.create(coords, new Shape(B, 3, 2));
            NDArray out = PixelGather.gatherPixels(f, c, OutOfBounds.ZERO);
            collector.backward(out.sum());
            double[] want = new double[B * C * H * W];
            for (int ch = 0; ch < C; ch++) {
                want[(ch * H + 1) * W + 2] = 2;
                want[((C + ch) * H + 3) * W] = 3;
            }
            assertArrayEquals(want, f.getGradient().toDoubleArray());
        }
    }

    @Test
    void gatherPixelsOnAnEmptyPointSet() {
        try (NDManager m = manager.newSubManager()) {
            NDArray f = features(m, randomFeatures(new Random(3)), DataType.FLOAT32);
            NDArray c = m.zeros(new Shape(B, 0, 2), DataType.INT64);
            assertEquals(new Shape(B, 0, C), PixelGather.gatherPixels(f, c).getShape());
        }
    }

    // ---------------------------------------------------------------------------------------
    // sampleBilinear: values

    /** Points inside, on edges and corners, at integers, just outside and far outside. */
    private static double[] samplePoints(Random r, int n) {
        double[] fixed = {
            0, 0, W - 1, H - 1, W - 1, 0, 0, H - 1, // the four corner pixels
            2, 1, 3.25, 2.5, 1.5, 0.75, // an integer point, interior points
            -0.5, 1.5, W - 0.75, 2.25, 2.5, -0.25, 1.25, H - 0.5, // within a pixel outside
            -3, 1, 2, H + 7, -10, -20, 1e6, 3, // far outside
            0, 1.5, W - 1, 2.5, 1.5, 0, // on the edges
        };
        double[] p = new double[B * n * 2];
        for (int i = 0; i < p.length; i++) {
            p[i] = i < fixed.length ? fixed[i] : r.nextDouble() * (W + 2) - 1;
        }
        return p;
    }

    static Stream<Arguments> sampleCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Padding padding : Padding.values()) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
                cases.add(Arguments.of(padding, type));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("sampleCases")
    void sampleBilinearMatchesGridSampleFormula(Padding padding, DataType type) {
        Random r = new Random(("sample" + padding + type).hashCode());
        int n = 12;
        double[] f = randomFeatures(r);
        double[] points = samplePoints(r, n);
        try (NDManager m = manager.newSubManager()) {
            NDArray fNd = features(m, f, type);
            NDArray pNd = m.create(points, new Shape(B, n, 2)).toType(type, false);
            Snapshot before = new Snapshot(fNd, pNd);
            NDArray out = PixelGather.sampleBilinear(fNd, pNd, padding);
            assertEquals(new Shape(B, n, C), out.getShape());
            assertEquals(type, out.getDataType());
            assertSame(fNd.getManager(), out.getManager());
            // the reference reads what the array holds (float32 rounds the inputs)
            double[] want = PixelReference.sampleBilinear(PixelReference.values(fNd), B, C, H, W,
                    PixelReference.values(pNd), n, padding == Padding.BORDER);
            PixelReference.assertClose(want, out, type == DataType.FLOAT64 ? 1e-12 : 1e-5,
                    "sampleBilinear " + padding);
            before.assertUnchanged("sampleBilinear");
        }
    }

    @Test
    void sampleBilinearAtPixelCentersEqualsGatherPixels() {
        try (NDManager m = manager.newSubManager()) {
            NDArray f = features(m, randomFeatures(new Random(4)), DataType.FLOAT64);
            NDArray yx = m.create(new long[] {0, 0, 3, 4, 2, 1, 1, 3}, new Shape(B, 2, 2));
            NDArray xy = yx.flip(2).toType(DataType.FLOAT64, false);
            NDArray exact = PixelGather.gatherPixels(f, yx);
            for (Padding padding : Padding.values()) {
                assertArrayEquals(exact.toDoubleArray(),
                        PixelGather.sampleBilinear(f, xy, padding).toDoubleArray(), 1e-15);
            }
        }
    }

    @Test
    void sampleBilinearTakesFloat32PointsForFloat64Features() {
        try (NDManager m = manager.newSubManager()) {
            double[] f = randomFeatures(new Random(5));
            double[] points = {1.5, 2.25, 0.5, 0.5, 3.75, 1, 4, 3};
            NDArray out = PixelGather.sampleBilinear(features(m, f, DataType.FLOAT64),
                    m.create(points, new Shape(B, 2, 2)).toType(DataType.FLOAT32, false),
                    Padding.ZEROS);
            assertEquals(DataType.FLOAT64, out.getDataType());
            PixelReference.assertClose(
                    PixelReference.sampleBilinear(f, B, C, H, W, points, 2, false), out, 1e-12,
                    "float32 points");
        }
    }

    @Test
    void nanPointsGiveZerosAndInfinitePointsActAsFarOutside() {
        double[] f = randomFeatures(new Random(9));
        double inf = Double.POSITIVE_INFINITY;
        double[] points = {Double.NaN, 1, 2, Double.NaN, inf, 1, -inf, 2};
        try (NDManager m = manager.newSubManager()) {
            NDArray fNd = m.create(f, new Shape(B, C, H, W));
            NDArray pNd = m.create(points, new Shape(B, 2, 2));
            double[] zeros = PixelGather.sampleBilinear(fNd, pNd, Padding.ZEROS).toDoubleArray();
            assertArrayEquals(new double[B * 2 * C], zeros);
            double[] border = PixelGather.sampleBilinear(fNd, pNd, Padding.BORDER).toDoubleArray();
            for (int c = 0; c < C; c++) {
                assertEquals(0, border[c], "NaN x");
                assertEquals(0, border[C + c], "NaN y");
                assertEquals(at(f, 1, c, 1, W - 1), border[2 * C + c], "x = +inf clips to W-1");
                assertEquals(at(f, 1, c, 2, 0), border[3 * C + c], "x = -inf clips to 0");
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // sampleBilinear: gradients

    /** loss = sum(out * weights), computed from the op's float64 result. */
    private static double loss(NDManager m, double[] f, double[] points, int n, Padding padding,
            double[] weights) {
        try (NDManager s = m.newSubManager()) {
            double[] out = PixelGather.sampleBilinear(s.create(f, new Shape(B, C, H, W)),
                    s.create(points, new Shape(B, n, 2)), padding).toDoubleArray();
            double sum = 0;
            for (int i = 0; i < out.length; i++) {
                sum += out[i] * weights[i];
            }
            return sum;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paddings")
    void sampleBilinearGradientsMatchFiniteDifferences(Padding padding) {
        Random r = new Random(("grad" + padding).hashCode());
        int n = 6;
        double[] f = randomFeatures(r);
        // away from integer coordinates (finite differences straddle no kink); under ZEROS some
        // lie within a pixel outside the map, under BORDER some are clipped (zero gradient)
        double[] points = {
            0.3, 0.6, 1.7, 2.2, 3.45, 2.9, -0.4, 1.3, 4.6, 3.35, 2.55, -0.7,
            0.8, 1.1, 2.35, 0.45, 3.6, 2.7, 1.2, 3.8, -1.3, 2.4, 4.25, -0.35,
        };
        double[] weights = new double[B * n * C];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = r.nextDouble() * 2 - 1;
        }
        double[] gradF;
        double[] gradP;
        try (NDManager m = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray fNd = m.create(f, new Shape(B, C, H, W));
            NDArray pNd = m.create(points, new Shape(B, n, 2));
            fNd.setRequiresGradient(true);
            pNd.setRequiresGradient(true);
            NDArray out = PixelGather.sampleBilinear(fNd, pNd, padding);
            collector.backward(out.mul(m.create(weights, new Shape(B, n, C))).sum());
            gradF = fNd.getGradient().toDoubleArray();
            gradP = pNd.getGradient().toDoubleArray();
        }
        double eps = 1e-6;
        try (NDManager m = manager.newSubManager()) {
            for (int i = 0; i < f.length; i++) {
                double[] plus = f.clone();
                double[] minus = f.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double fd = (loss(m, plus, points, n, padding, weights)
                        - loss(m, minus, points, n, padding, weights)) / (2 * eps);
                assertEquals(fd, gradF[i], 1e-7, "d loss / d features[" + i + "]");
            }
            boolean someZero = false;
            for (int i = 0; i < points.length; i++) {
                double[] plus = points.clone();
                double[] minus = points.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double fd = (loss(m, f, plus, n, padding, weights)
                        - loss(m, f, minus, n, padding, weights)) / (2 * eps);
                assertEquals(fd, gradP[i], 1e-7, "d loss / d points[" + i + "]");
                someZero |= gradP[i] == 0;
            }
            assertTrue(someZero, "a clipped or far-outside coordinate has zero gradient");
        }
    }

    static Stream<Padding> paddings() {
        return Stream.of(Padding.values());
    }

    @Test
    void gradientAtIntegerCoordinatesIsTheOneSidedDifferenceTowardTheNextPixel() {
        double[] f = randomFeatures(new Random(6));
        // batch 0: x = 2 exactly, y = 1.25; x = W-1 exactly. batch 1: x = 0 exactly, y = 2.5
        double[] points = {2, 1.25, W - 1, 0.5, 0, 2.5, 1.5, 3};
        for (Padding padding : Padding.values()) {
            try (NDManager m = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray pNd = m.create(points, new Shape(B, 2, 2));
                pNd.setRequiresGradient(true);
                NDArray out = PixelGather.sampleBilinear(
                        m.create(f, new Shape(B, C, H, W)), pNd, padding);
                // d/dx of channel 0 only
                double[] pick = new double[B * 2 * C];
                pick[0] = 1;
                pick[C] = 1;
                pick[2 * C] = 1;
                collector.backward(out.mul(m.create(pick, new Shape(B, 2, C))).sum());
                double[] g = pNd.getGradient().toDoubleArray();
                // x = 2, y = 1.25: (1 - 0.25) (v(1,3) - v(1,2)) + 0.25 (v(2,3) - v(2,2)), in both paddings
                double want = 0.75 * (at(f, 0, 0, 1, 3) - at(f, 0, 0, 1, 2))
                        + 0.25 * (at(f, 0, 0, 2, 3) - at(f, 0, 0, 2, 2));
                assertEquals(want, g[0], 1e-12, padding + ": x = 2");
                // x = W-1: ZEROS reads 0 beyond the map; BORDER clips (zero gradient on the border)
                double edge = padding == Padding.ZEROS
                        ? -0.5 * at(f, 0, 0, 0, W - 1) - 0.5 * at(f, 0, 0, 1, W - 1)
                        : 0;
                assertEquals(edge, g[2], 1e-12, padding + ": x = W-1");
                // x = 0: corners 0 and 1 under ZEROS; BORDER clips at the border
                double left = padding == Padding.ZEROS
                        ? 0.5 * (at(f, 1, 0, 2, 1) - at(f, 1, 0, 2, 0))
                                + 0.5 * (at(f, 1, 0, 3, 1) - at(f, 1, 0, 3, 0))
                        : 0;
                assertEquals(left, g[4], 1e-12, padding + ": x = 0");
            }
        }
    }

    private static double at(double[] f, int b, int c, int y, int x) {
        return f[((b * C + c) * H + y) * W + x];
    }

    // ---------------------------------------------------------------------------------------
    // sampleBilinear: mask

    @Test
    void maskedPointsGiveZerosAndNoGradient() {
        Random r = new Random(7);
        int n = 4;
        double[] f = randomFeatures(r);
        double[] points = {1.5, 2.25, 0.3, 0.7, 3.6, 1.4, 2.2, 2.8, 0.5, 1.5, 2.7, 0.1, 4.5, 3.5, 1.9, 2.6};
        // padding points hold garbage: NaN must not leak into the real points' gradients
        points[2] = Double.NaN;
        points[13] = Double.NaN;
        boolean[] mask = {true, false, true, true, true, true, false, true};
        for (Padding padding : Padding.values()) {
            try (NDManager m = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray fNd = m.create(f, new Shape(B, C, H, W));
                NDArray pNd = m.create(points, new Shape(B, n, 2));
                NDArray maskNd = m.create(mask, new Shape(B, n));
                fNd.setRequiresGradient(true);
                pNd.setRequiresGradient(true);
                Snapshot before = new Snapshot(fNd, pNd, maskNd);
                NDArray out = PixelGather.sampleBilinear(fNd, pNd, maskNd, padding);
                collector.backward(out.sum());
                double[] want = PixelReference.sampleBilinear(f, B, C, H, W, points, n,
                        padding == Padding.BORDER);
                for (int p = 0; p < B * n; p++) {
                    for (int c = 0; c < C; c++) {
                        if (!mask[p]) {
                            want[p * C + c] = 0;
                        }
                    }
                }
                PixelReference.assertClose(want, out, 1e-12, "masked " + padding);
                double[] gp = pNd.getGradient().toDoubleArray();
                for (int p = 0; p < B * n; p++) {
                    for (int k = 0; k < 2; k++) {
                        assertTrue(mask[p] ? !Double.isNaN(gp[2 * p + k]) : gp[2 * p + k] == 0,
                                "point " + p + " gradient " + gp[2 * p + k]);
                    }
                }
                // features: only the real points' corners get gradient; masking all gives none
                double[] gf = fNd.getGradient().toDoubleArray();
                for (double g : gf) {
                    assertTrue(!Double.isNaN(g));
                }
                before.assertUnchanged("masked sampleBilinear");
            }
        }
        try (NDManager m = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray fNd = m.create(f, new Shape(B, C, H, W));
            NDArray pNd = m.create(points, new Shape(B, n, 2));
            fNd.setRequiresGradient(true);
            pNd.setRequiresGradient(true);
            // an int mask, all zero
            NDArray out = PixelGather.sampleBilinear(fNd, pNd, m.zeros(new Shape(B, n), DataType.INT32),
                    Padding.ZEROS);
            collector.backward(out.sum());
            assertArrayEquals(new double[B * n * C], out.toDoubleArray());
            assertArrayEquals(new double[f.length], fNd.getGradient().toDoubleArray());
            assertArrayEquals(new double[points.length], pNd.getGradient().toDoubleArray());
        }
    }

    @Test
    void maskOfOnesEqualsNoMask() {
        try (NDManager m = manager.newSubManager()) {
            NDArray f = features(m, randomFeatures(new Random(8)), DataType.FLOAT32);
            NDArray p = m.create(samplePoints(new Random(8), 12), new Shape(B, 12, 2))
                    .toType(DataType.FLOAT32, false);
            for (Padding padding : Padding.values()) {
                assertArrayEquals(PixelGather.sampleBilinear(f, p, padding).toFloatArray(),
                        PixelGather.sampleBilinear(f, p, m.ones(new Shape(B, 12)), padding)
                                .toFloatArray());
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // pixelPoints

    private static Joints pose(double... xy) {
        List<Joints.Joint> joints = new ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            joints.add(new Joints.Joint(xy[i], xy[i + 1], 0.9));
        }
        return new Joints(joints);
    }

    @Test
    void pixelPointsMapsNormalizedJointsOntoPixelCenters() {
        try (NDManager m = manager.newSubManager()) {
            // x * (W-1), y * (H-1): 0 and 1 land on the first and last pixel centers
            NDArray one = PixelGather.pixelPoints(m, pose(0, 0, 1, 1, 0.5, 0.25, 1.5, -0.5), 5, 9);
            assertEquals(new Shape(1, 4, 2), one.getShape());
            assertEquals(DataType.FLOAT32, one.getDataType());
            assertArrayEquals(new float[] {0, 0, 8, 4, 4, 1, 12, -2}, one.toFloatArray());

            NDArray two = PixelGather.pixelPoints(m, List.of(pose(0, 1, 0.5, 0.5), pose(1, 0, 0.25, 0.75)), 3, 5);
            assertEquals(new Shape(2, 2, 2), two.getShape());
            assertArrayEquals(new float[] {0, 2, 2, 1, 4, 0, 1, 1.5f}, two.toFloatArray());

            NDArray none = PixelGather.pixelPoints(m, List.of(), 3, 5);
            assertEquals(new Shape(0, 0, 2), none.getShape());
        }
    }

    @Test
    void pixelPointsOfPosesOfDifferentLengthsArePaddedAndMasked() {
        try (NDManager m = manager.newSubManager()) {
            List<Joints> poses = List.of(pose(0.5, 0.5), pose(0, 0, 1, 1, 0.25, 0.5), pose());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PixelGather.pixelPoints(m, poses, 3, 5));
            assertEquals("pixelPoints: joints holds poses of different lengths (use"
                    + " paddedPixelPoints); expected 1 joints in every pose, as in pose 0, got 3"
                    + " joints in pose 1", e.getMessage());
            try (PixelPoints padded = PixelGather.paddedPixelPoints(m, poses, 3, 5)) {
                assertEquals(new Shape(3, 3, 2), padded.points().getShape());
                assertArrayEquals(new float[] {2, 1, 0, 0, 0, 0, 0, 0, 4, 2, 1, 1, 0, 0, 0, 0, 0, 0},
                        padded.points().toFloatArray());
                assertEquals(DataType.BOOLEAN, padded.mask().getDataType());
                assertArrayEquals(new boolean[] {true, false, false, true, true, true, false, false, false},
                        padded.mask().toBooleanArray());
                // and they feed sampleBilinear as they are
                NDArray f = m.arange(3f * 2 * 3 * 5).reshape(3, 2, 3, 5);
                NDArray out = PixelGather.sampleBilinear(f, padded.points(), padded.mask(), Padding.ZEROS);
                assertEquals(new Shape(3, 3, 2), out.getShape());
                // pose 0 joint 0 at (x, y) = (2, 1): channel 0 of image 0 holds 1 * 5 + 2 = 7
                assertEquals(7f, out.getFloat(0, 0, 0));
                assertEquals(0f, out.getFloat(0, 1, 0));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Bad inputs

    private static void assertBad(String op, String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op + ": " + argument + " "), e.getMessage());
    }

    @Test
    void badInputsAreRejectedWithTheOpAndArgumentNamed() {
        try (NDManager m = manager.newSubManager()) {
            NDArray f = m.zeros(new Shape(B, C, H, W));
            NDArray c = m.zeros(new Shape(B, 3, 2), DataType.INT64);
            NDArray p = m.zeros(new Shape(B, 3, 2));
            String g = "gatherPixels";
            assertBad(g, "features", () -> PixelGather.gatherPixels(null, c));
            assertBad(g, "features", () -> PixelGather.gatherPixels(m.zeros(new Shape(B, H, W)), c));
            assertBad(g, "coords", () -> PixelGather.gatherPixels(f, null));
            assertBad(g, "coords", () -> PixelGather.gatherPixels(f, p));
            assertBad(g, "coords", () -> PixelGather.gatherPixels(f, m.zeros(new Shape(B, 3), DataType.INT64)));
            assertBad(g, "coords", () -> PixelGather.gatherPixels(f, m.zeros(new Shape(B, 3, 3), DataType.INT64)));
            assertBad(g, "coords", () -> PixelGather.gatherPixels(f, m.zeros(new Shape(B + 1, 3, 2), DataType.INT64)));
            assertBad(g, "policy", () -> PixelGather.gatherPixels(f, c, null));
            assertBad(g, "features", () -> PixelGather.gatherPixels(
                    m.zeros(new Shape(B, C, 0, W)), c, OutOfBounds.CLAMP));
            assertEquals(new Shape(B, 3, C), PixelGather.gatherPixels(
                    m.zeros(new Shape(B, C, 0, W)), c, OutOfBounds.ZERO).getShape());
            assertBad(g, "coords", () -> PixelGather.gatherPixels(m.zeros(new Shape(B, C, 0, W)), c));

            String s = "sampleBilinear";
            assertBad(s, "features", () -> PixelGather.sampleBilinear(null, p, Padding.ZEROS));
            assertBad(s, "features", () -> PixelGather.sampleBilinear(
                    m.zeros(new Shape(B, C, H, W), DataType.INT32), p, Padding.ZEROS));
            assertBad(s, "features", () -> PixelGather.sampleBilinear(m.zeros(new Shape(C, H, W)), p, Padding.ZEROS));
            assertBad(s, "points", () -> PixelGather.sampleBilinear(f, c, Padding.ZEROS));
            assertBad(s, "points", () -> PixelGather.sampleBilinear(f, null, Padding.ZEROS));
            assertBad(s, "points", () -> PixelGather.sampleBilinear(f, m.zeros(new Shape(B, 3, 1)), Padding.ZEROS));
            assertBad(s, "points", () -> PixelGather.sampleBilinear(f, m.zeros(new Shape(1, 3, 2)), Padding.ZEROS));
            assertBad(s, "padding", () -> PixelGather.sampleBilinear(f, p, null));
            assertBad(s, "mask", () -> PixelGather.sampleBilinear(f, p, null, Padding.ZEROS));
            assertBad(s, "mask", () -> PixelGather.sampleBilinear(f, p, m.ones(new Shape(B, 4)), Padding.ZEROS));
            assertBad(s, "mask", () -> PixelGather.sampleBilinear(f, p, m.ones(new Shape(B, 3, 1)), Padding.ZEROS));

            String pp = "pixelPoints";
            assertBad(pp, "manager", () -> PixelGather.pixelPoints(null, pose(0, 0), 3, 3));
            assertBad(pp, "joints", () -> PixelGather.pixelPoints(m, (Joints) null, 3, 3));
            assertBad(pp, "joints", () -> PixelGather.pixelPoints(m, (List<Joints>) null, 3, 3));
            assertBad(pp, "height", () -> PixelGather.pixelPoints(m, pose(0, 0), 0, 3));
            assertBad(pp, "width", () -> PixelGather.pixelPoints(m, pose(0, 0), 3, -1));
            List<Joints> withNull = new ArrayList<>();
            withNull.add(null);
            assertBad(pp, "joints", () -> PixelGather.pixelPoints(m, withNull, 3, 3));
            List<Joints.Joint> nullJoint = new ArrayList<>();
            nullJoint.add(null);
            assertBad("paddedPixelPoints", "joints",
                    () -> PixelGather.paddedPixelPoints(m, List.of(new Joints(nullJoint)), 3, 3));
        }
    }
}
