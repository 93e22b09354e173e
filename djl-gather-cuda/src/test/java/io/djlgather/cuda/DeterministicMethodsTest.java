package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.djlgather.ext.spi.OpLibraryMethods;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The op library's deterministic methods called directly: semantics at the edges (scalar
 * input, empty index, src larger than index, integers exact, untouched positions bit for bit)
 * and gradients equal to the plain methods'.
 */
class DeterministicMethodsTest {

    private static OpLibraryMethods library() {
        return OpLibraryMethods.forDevice(Device.cpu());
    }

    @Test
    void untouchedPositionsKeepTheInputBitForBit() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = m.create(new float[] {-0f, Float.NaN, 1.5f, -0f});
            NDArray index = m.create(new long[] {2, 2});
            NDArray src = m.create(new float[] {1, 2});
            for (String reduce : new String[] {"sum", "mean"}) {
                for (boolean self : new boolean[] {true, false}) {
                    float[] out = library()
                            .run("scatter_reduce_det", m, input, 0, index, src, reduce, self)
                            .toFloatArray();
                    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[0]));
                    assertTrue(Float.isNaN(out[1]));
                    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[3]));
                    float expected = reduce.equals("sum")
                            ? (self ? 4.5f : 3f)
                            : (self ? 4.5f / 3 : 1.5f);
                    assertEquals(expected, out[2], 1e-6f, reduce + " " + self);
                }
            }
        }
    }

    @Test
    void theSortedPathUsedOnCudaAndTheSerialPathUsedOnCpuAgreeBitForBit() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int n = 50_000;
            int positions = 40;
            NDArray pos = m.create(Fixtures.hotIndices(21, n, positions));
            NDArray vals = m.create(Fixtures.randomFloats(22, n));
            NDArray counts = library().run("scatter_add", m,
                    m.zeros(new Shape(positions), DataType.INT64), 0, pos,
                    m.ones(new Shape(n), DataType.INT64));
            float[] sorted = library().run("_det_sums_sorted", m, pos, vals, counts).toFloatArray();
            float[] serial = library().run("_det_sums_serial", m, pos, vals, counts).toFloatArray();
            Fixtures.assertBitIdentical(sorted, serial, "sorted vs serial");
        }
    }

    @Test
    void scalarInputAndEmptyIndex() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray scalar = m.create(2f);
            NDArray out = library().run("scatter_add_det", m, scalar, 0, m.create(0L), m.create(3f));
            assertEquals(new Shape(), out.getShape());
            assertEquals(5f, out.getFloat());
            out = library().run("index_add_det_f", m, scalar, 0, m.create(new long[] {0}),
                    m.create(new float[] {3f}), 2.0);
            assertEquals(8f, out.getFloat());

            NDArray input = m.create(new float[] {1, 2, 3});
            NDArray empty = m.create(new long[0], new Shape(0));
            assertArrayEquals(new float[] {1, 2, 3}, library()
                    .run("scatter_add_det", m, input, 0, empty, m.create(new float[0], new Shape(0)))
                    .toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, library()
                    .run("scatter_reduce_det", m, input, 0, empty, m.create(new float[0], new Shape(0)),
                            "mean", false)
                    .toFloatArray());
        }
    }

    @Test
    void srcLargerThanIndexIsSliced() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = m.zeros(new Shape(2, 3));
            NDArray index = m.create(new long[] {2, 2}, new Shape(1, 2));
            NDArray src = m.arange(1f, 10f).reshape(3, 3);
            float[] plain = library().run("scatter_add", m, input, 1, index, src).toFloatArray();
            float[] det = library().run("scatter_add_det", m, input, 1, index, src).toFloatArray();
            assertArrayEquals(new float[] {0, 0, 3, 0, 0, 0}, det);
            assertArrayEquals(plain, det);
        }
    }

    @ParameterizedTest
    @CsvSource({"INT32", "INT64"})
    void integerSumsAreExact(DataType type) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = m.arange(0, 12, 1, type).reshape(3, 4);
            NDArray index = m.create(Fixtures.hotIndices(9, 40, 3), new Shape(10, 4));
            NDArray src = m.arange(100, 140, 1, type).reshape(10, 4);
            assertEquals(library().run("scatter_add", m, input, 0, index, src),
                    library().run("scatter_add_det", m, input, 0, index, src));
            for (String reduce : new String[] {"sum", "mean"}) {
                assertEquals(library().run("scatter_reduce", m, input, 0, index, src, reduce, false),
                        library().run("scatter_reduce_det", m, input, 0, index, src, reduce, false));
            }
            NDArray rows = m.create(new long[] {2, 0, 2, 2, 1, 0, 2, 2, 2, 1});
            assertEquals(library().run("index_add_alpha_i", m, input, 0, rows, src, 3L),
                    library().run("index_add_det_i", m, input, 0, rows, src, 3L));
            assertEquals(library().run("index_add", m, input, 0, rows, src),
                    library().run("index_add_det_f", m, input, 0, rows, src, 1.0));
        }
    }

    @Test
    void float64MatchesTheNaiveLoopClosely() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            double[] in = Fixtures.randomDoubles(5, 12);
            double[] s = Fixtures.randomDoubles(6, 600);
            long[] ix = Fixtures.hotIndices(7, 600, 4);
            NDArray out = library().run("scatter_add_det", m, m.create(in, new Shape(3, 4)), 1,
                    m.create(ix, new Shape(3, 200)), m.create(s, new Shape(3, 200)));
            double[] expected = in.clone();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 200; j++) {
                    expected[i * 4 + (int) ix[i * 200 + j]] += s[i * 200 + j];
                }
            }
            assertArrayEquals(expected, out.toDoubleArray(), 1e-12);
        }
    }

    /** A det method and its plain twin, with their gradients compared on float64 data. */
    @ParameterizedTest
    @CsvSource({
        "scatter_add_det, scatter_add, , false",
        "scatter_reduce_det, scatter_reduce, sum, true",
        "scatter_reduce_det, scatter_reduce, sum, false",
        "scatter_reduce_det, scatter_reduce, mean, true",
        "scatter_reduce_det, scatter_reduce, mean, false",
        "index_add_det_f, index_add_alpha_f, , false"
    })
    void gradientsEqualThePlainMethods(String det, String plain, String reduce, boolean self) {
        double[][] detGrads = gradients(det, reduce, self);
        double[][] plainGrads = gradients(plain, reduce, self);
        assertArrayEquals(plainGrads[0], detGrads[0], 1e-12, "d/dinput");
        assertArrayEquals(plainGrads[1], detGrads[1], 1e-12, "d/dsrc");
        assertArrayEquals(plainGrads[2], detGrads[2], 1e-12, "values");
    }

    private static double[][] gradients(String method, String reduce, boolean self) {
        boolean indexAdd = method.startsWith("index_add");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray input = m.create(Fixtures.randomDoubles(11, 12), new Shape(3, 4));
            NDArray src = m.create(Fixtures.randomDoubles(12, 30), new Shape(10, 3));
            NDArray weights = m.create(Fixtures.randomDoubles(13, 12), new Shape(3, 4));
            input.setRequiresGradient(true);
            NDArray out;
            if (indexAdd) {
                src = m.create(Fixtures.randomDoubles(12, 40), new Shape(10, 4));
                src.setRequiresGradient(true);
                NDArray rows = m.create(new long[] {2, 0, 2, 2, 1, 0, 2, 2, 2, 1});
                out = library().run(method, m, input, 0, rows, src, 0.75);
            } else {
                src.setRequiresGradient(true);
                NDArray index = m.create(Fixtures.hotIndices(14, 30, 3), new Shape(10, 3));
                out = reduce == null
                        ? library().run(method, m, input, 0, index, src)
                        : library().run(method, m, input, 0, index, src, reduce, self);
            }
            collector.backward(out.mul(weights).sum());
            return new double[][] {
                input.getGradient().toDoubleArray(), src.getGradient().toDoubleArray(),
                out.toDoubleArray()
            };
        }
    }
}
