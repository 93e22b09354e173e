package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.Reference.Dense;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of PyTorch's own documentation for each op, with the outputs printed there: they
 * pin {@link GatherOps} and {@link Reference} to torch at once, so the random tests that compare
 * the two rest on a checked reference. Also: int64 values beyond 2^53 stay exact, and scalar
 * arguments may be any Number.
 */
class GatherOpsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static Dense d(long[] shape, double... data) {
        return Dense.of(shape, data);
    }

    private static long[] s(long... shape) {
        return shape;
    }

    /** One documented example: the op on NDArrays, the same op on Dense, inputs and the printed output. */
    private static Arguments example(String name, Function<NDManager, NDArray> op,
            Supplier<Dense> reference, Dense expected, DataType type) {
        return Arguments.of(name, op, reference, expected, type);
    }

    static Stream<Arguments> documented() {
        DataType f32 = DataType.FLOAT32;
        DataType i64 = DataType.INT64;
        // torch.gather: t = [[1, 2], [3, 4]]; gather(t, 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]]
        Dense t = d(s(2, 2), 1, 2, 3, 4);
        Dense gi = d(s(2, 2), 0, 0, 1, 0);
        // torch.Tensor.scatter_: src = arange(1, 11).reshape(2, 5)
        Dense src10 = d(s(2, 5), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Dense zeros35 = Dense.zeros(3, 5);
        Dense si0 = d(s(1, 4), 0, 1, 2, 0);
        Dense si1 = d(s(2, 3), 0, 1, 2, 0, 1, 4);
        Dense full24 = d(s(2, 4), 2, 2, 2, 2, 2, 2, 2, 2);
        Dense sv = d(s(2, 1), 2, 3);
        // torch.Tensor.scatter_add_: src = ones(2, 5)
        Dense ones25 = d(s(2, 5), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Dense sa0 = d(s(1, 5), 0, 1, 2, 0, 0);
        Dense sa1 = d(s(2, 5), 0, 1, 2, 0, 0, 0, 1, 2, 2, 2);
        // torch.Tensor.scatter_reduce
        Dense rsrc = d(s(6), 1, 2, 3, 4, 5, 6);
        Dense ridx = d(s(6), 0, 1, 0, 1, 2, 1);
        Dense rin = d(s(4), 1, 2, 3, 4);
        Dense rin2 = d(s(4), 5, 4, 3, 2);
        Dense rinNeg = d(s(4), -9, 2, 3, 4);
        // torch.Tensor.index_add_ / index_copy_ / index_reduce_
        Dense t33 = d(s(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Dense ones53 = d(s(5, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Dense i042 = d(s(3), 0, 4, 2);
        Dense twos53 = d(s(5, 3), 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2);
        Dense t43 = d(s(4, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Dense i0420 = d(s(4), 0, 4, 2, 0);
        // torch.index_select: rows 0 and 2
        Dense x34 = d(s(3, 4), 0.1, 0.2, 0.3, 0.4, 1.1, 1.2, 1.3, 1.4, 2.1, 2.2, 2.3, 2.4);
        Dense i02 = d(s(2), 0, 2);
        // torch.take / put_: src = [[4, 3, 5], [6, 7, 8]]
        Dense p23 = d(s(2, 3), 4, 3, 5, 6, 7, 8);
        Dense ti = d(s(3), 0, 2, 5);
        Dense pi = d(s(2), 1, 3);
        Dense pv = d(s(2), 9, 10);
        // torch.take_along_dim: t = [[10, 30, 20], [60, 40, 50]], argsort(t, dim=1)
        Dense ta = d(s(2, 3), 10, 30, 20, 60, 40, 50);
        Dense sorted = d(s(2, 3), 0, 2, 1, 1, 2, 0);

        return Stream.of(
                example("gather",
                        m -> GatherOps.gather(t.toNd(m, i64), 1, gi.toNd(m, i64)),
                        () -> Reference.gather(t, 1, gi), d(s(2, 2), 1, 1, 4, 3), i64),
                example("scatter axis 0",
                        m -> GatherOps.scatter(zeros35.toNd(m, i64), 0, si0.toNd(m, i64), src10.toNd(m, i64)),
                        () -> Reference.scatter(zeros35, 0, si0, src10),
                        d(s(3, 5), 1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0), i64),
                example("scatter axis 1",
                        m -> GatherOps.scatter(zeros35.toNd(m, i64), 1, si1.toNd(m, i64), src10.toNd(m, i64)),
                        () -> Reference.scatter(zeros35, 1, si1, src10),
                        d(s(3, 5), 1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0), i64),
                example("scatter value",
                        m -> GatherOps.scatter(full24.toNd(m, f32), 1, sv.toNd(m, i64), 1.25),
                        () -> Reference.scatter(full24, 1, sv, 1.25),
                        d(s(2, 4), 2, 2, 1.25, 2, 2, 2, 2, 1.25), f32),
                example("scatterAdd one row",
                        m -> GatherOps.scatterAdd(zeros35.toNd(m, f32), 0, sa0.toNd(m, i64), ones25.toNd(m, f32)),
                        () -> Reference.scatterAdd(zeros35, 0, sa0, ones25),
                        d(s(3, 5), 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0), f32),
                example("scatterAdd two rows",
                        m -> GatherOps.scatterAdd(zeros35.toNd(m, f32), 0, sa1.toNd(m, i64), ones25.toNd(m, f32)),
                        () -> Reference.scatterAdd(zeros35, 0, sa1, ones25),
                        d(s(3, 5), 2, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1), f32),
                example("scatterReduce sum",
                        m -> GatherOps.scatterReduce(rin.toNd(m, f32), 0, ridx.toNd(m, i64), rsrc.toNd(m, f32), Reduction.SUM, true),
                        () -> Reference.scatterReduce(rin, 0, ridx, rsrc, Reduction.SUM, true, false),
                        d(s(4), 5, 14, 8, 4), f32),
                example("scatterReduce sum without self",
                        m -> GatherOps.scatterReduce(rin.toNd(m, f32), 0, ridx.toNd(m, i64), rsrc.toNd(m, f32), Reduction.SUM, false),
                        () -> Reference.scatterReduce(rin, 0, ridx, rsrc, Reduction.SUM, false, false),
                        d(s(4), 4, 12, 5, 4), f32),
                example("scatterReduce amax",
                        m -> GatherOps.scatterReduce(rin2.toNd(m, f32), 0, ridx.toNd(m, i64), rsrc.toNd(m, f32), Reduction.AMAX, true),
                        () -> Reference.scatterReduce(rin2, 0, ridx, rsrc, Reduction.AMAX, true, false),
                        d(s(4), 5, 6, 5, 2), f32),
                example("scatterReduce amax without self",
                        m -> GatherOps.scatterReduce(rin2.toNd(m, f32), 0, ridx.toNd(m, i64), rsrc.toNd(m, f32), Reduction.AMAX, false),
                        () -> Reference.scatterReduce(rin2, 0, ridx, rsrc, Reduction.AMAX, false, false),
                        d(s(4), 3, 6, 5, 2), f32),
                // mean: (input + sum) / (1 + count) with self, sum / count without; floor for int64
                example("scatterReduce mean",
                        m -> GatherOps.scatterReduce(rin.toNd(m, f32), 0, ridx.toNd(m, i64), rsrc.toNd(m, f32), Reduction.MEAN, true),
                        () -> Reference.scatterReduce(rin, 0, ridx, rsrc, Reduction.MEAN, true, false),
                        d(s(4), 5 / 3.0, 14 / 4.0, 8 / 2.0, 4), f32),
                example("scatterReduce mean int64 without self",
                        m -> GatherOps.scatterReduce(rin.toNd(m, i64), 0, ridx.toNd(m, i64), rsrc.toNd(m, i64), Reduction.MEAN, false),
                        () -> Reference.scatterReduce(rin, 0, ridx, rsrc, Reduction.MEAN, false, true),
                        d(s(4), 2, 4, 5, 4), i64),
                // (-9 + 1 + 3) / 3 floors to -2 (not -1), 14 / 4 to 3
                example("scatterReduce mean int64 floors",
                        m -> GatherOps.scatterReduce(rinNeg.toNd(m, i64), 0, ridx.toNd(m, i64), rsrc.toNd(m, i64), Reduction.MEAN, true),
                        () -> Reference.scatterReduce(rinNeg, 0, ridx, rsrc, Reduction.MEAN, true, true),
                        d(s(4), -2, 3, 4, 4), i64),
                example("indexSelect",
                        m -> GatherOps.indexSelect(x34.toNd(m, f32), 0, i02.toNd(m, i64)),
                        () -> Reference.indexSelect(x34, 0, i02),
                        d(s(2, 4), 0.1, 0.2, 0.3, 0.4, 2.1, 2.2, 2.3, 2.4), f32),
                example("indexAdd",
                        m -> GatherOps.indexAdd(ones53.toNd(m, f32), 0, i042.toNd(m, i64), t33.toNd(m, f32)),
                        () -> Reference.indexAdd(ones53, 0, i042, t33, 1),
                        d(s(5, 3), 2, 3, 4, 1, 1, 1, 8, 9, 10, 1, 1, 1, 5, 6, 7), f32),
                example("indexAdd alpha -1 twice",
                        m -> GatherOps.indexAdd(
                                GatherOps.indexAdd(ones53.toNd(m, f32), 0, i042.toNd(m, i64), t33.toNd(m, f32)),
                                0, i042.toNd(m, i64), t33.toNd(m, f32), -1),
                        () -> Reference.indexAdd(Reference.indexAdd(ones53, 0, i042, t33, 1), 0, i042, t33, -1),
                        ones53, f32),
                example("indexCopy",
                        m -> GatherOps.indexCopy(Dense.zeros(5, 3).toNd(m, f32), 0, i042.toNd(m, i64), t33.toNd(m, f32)),
                        () -> Reference.indexCopy(Dense.zeros(5, 3), 0, i042, t33),
                        d(s(5, 3), 1, 2, 3, 0, 0, 0, 7, 8, 9, 0, 0, 0, 4, 5, 6), f32),
                example("indexFill",
                        m -> GatherOps.indexFill(t33.toNd(m, f32), 1, i02.toNd(m, i64), -1),
                        () -> Reference.indexFill(t33, 1, i02, -1),
                        d(s(3, 3), -1, 2, -1, -1, 5, -1, -1, 8, -1), f32),
                example("indexReduce prod",
                        m -> GatherOps.indexReduce(twos53.toNd(m, f32), 0, i0420.toNd(m, i64), t43.toNd(m, f32), Reduction.PROD, true),
                        () -> Reference.indexReduce(twos53, 0, i0420, t43, Reduction.PROD, true, false),
                        d(s(5, 3), 20, 44, 72, 2, 2, 2, 14, 16, 18, 2, 2, 2, 8, 10, 12), f32),
                example("indexReduce prod without self",
                        m -> GatherOps.indexReduce(twos53.toNd(m, f32), 0, i0420.toNd(m, i64), t43.toNd(m, f32), Reduction.PROD, false),
                        () -> Reference.indexReduce(twos53, 0, i0420, t43, Reduction.PROD, false, false),
                        d(s(5, 3), 10, 22, 36, 2, 2, 2, 7, 8, 9, 2, 2, 2, 4, 5, 6), f32),
                example("takeAlongAxis",
                        m -> GatherOps.takeAlongAxis(ta.toNd(m, i64), sorted.toNd(m, i64), 1),
                        () -> Reference.takeAlongAxis(ta, sorted, 1),
                        d(s(2, 3), 10, 20, 30, 40, 50, 60), i64),
                example("take",
                        m -> GatherOps.take(p23.toNd(m, i64), ti.toNd(m, i64)),
                        () -> Reference.take(p23, ti),
                        d(s(3), 4, 5, 8), i64),
                example("take negative",
                        m -> GatherOps.take(p23.toNd(m, i64), d(s(2), -1, -6).toNd(m, i64)),
                        () -> Reference.take(p23, d(s(2), -1, -6)),
                        d(s(2), 8, 4), i64),
                example("put",
                        m -> GatherOps.put(p23.toNd(m, i64), pi.toNd(m, i64), pv.toNd(m, i64), false),
                        () -> Reference.put(p23, pi, pv, false),
                        d(s(2, 3), 4, 9, 5, 10, 7, 8), i64),
                example("put accumulate",
                        m -> GatherOps.put(p23.toNd(m, i64), d(s(3), 1, -5, 3).toNd(m, i64), d(s(3), 9, 10, 1).toNd(m, i64), true),
                        () -> Reference.put(p23, d(s(3), 1, -5, 3), d(s(3), 9, 10, 1), true),
                        d(s(2, 3), 4, 22, 5, 7, 7, 8), i64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documented")
    void matchesTorchDocumentation(String name, Function<NDManager, NDArray> op,
            Supplier<Dense> reference, Dense expected, DataType type) {
        try (NDManager m = manager.newSubManager()) {
            Support.assertValues(expected, reference.get().toNd(m, type), type, name + ": Reference");
            Support.assertValues(expected, op.apply(m), type, name + ": GatherOps");
        }
    }

    /** take with a 0-d index returns a 0-d array (output shape = index shape). */
    @Test
    void takeWithScalarIndex() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new long[] {4, 3, 5, 6, 7, 8}, new Shape(2, 3));
            NDArray out = GatherOps.take(x, m.create(new long[] {4}, new Shape()));
            assertEquals(new Shape(), out.getShape());
            assertArrayEquals(new long[] {7}, out.toLongArray());
        }
    }

    /** put needs equal numbers of elements, not equal shapes (torch.put). */
    @Test
    void putSrcOfAnotherShape() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new double[] {0, 1, 2, 3, 4, 5}, new Shape(2, 3));
            NDArray index = m.create(new long[] {5, 0, 1, 2}, new Shape(2, 2));
            NDArray src = m.create(new double[] {10, 20, 30, 40}, new Shape(4));
            NDArray out = GatherOps.put(x, index, src, false);
            assertArrayEquals(new double[] {20, 30, 40, 3, 4, 10}, out.toDoubleArray());
        }
    }

    // ---------------------------------------------------------------------------------------
    // int64 values never pass through a double

    private static final long BIG = (1L << 53) + 1; // not representable as a double

    @Test
    void int64ValuesBeyondDoublePrecisionStayExact() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new long[] {BIG, 1, -BIG, 3}, new Shape(2, 2));
            NDArray index = m.create(new long[] {1, 0, 0, 1}, new Shape(2, 2));
            assertArrayEquals(new long[] {1, BIG, -BIG, 3},
                    GatherOps.gather(x, 1, index).toLongArray(), "gather");

            NDArray zeros = m.create(new long[] {0, 0, 0, 0}, new Shape(2, 2));
            NDArray one = m.create(new long[] {0}, new Shape(1, 1));
            assertArrayEquals(new long[] {BIG, 0, 0, 0},
                    GatherOps.scatter(zeros, 1, one, BIG).toLongArray(), "scatter value");
            NDArray rowIndex = m.create(new long[] {0, 0}, new Shape(1, 2));
            NDArray bigRow = m.create(new long[] {BIG, BIG}, new Shape(1, 2));
            assertArrayEquals(new long[] {BIG + 1, BIG + 1, 0, 0},
                    GatherOps.scatterAdd(m.create(new long[] {1, 1, 0, 0}, new Shape(2, 2)), 0,
                            rowIndex, bigRow).toLongArray(), "scatterAdd");
            assertArrayEquals(new long[] {BIG, BIG, -BIG, 3},
                    GatherOps.indexFill(x, 0, m.create(new long[] {0}, new Shape(1)), BIG)
                            .toLongArray(), "indexFill");
            NDArray ones = m.create(new long[] {1, 1}, new Shape(1, 2));
            assertArrayEquals(new long[] {BIG, BIG, 0, 0},
                    GatherOps.indexAdd(zeros, 0, m.create(new long[] {0}, new Shape(1)), ones, BIG)
                            .toLongArray(), "indexAdd alpha");
            assertArrayEquals(new long[] {1, BIG, -BIG, BIG},
                    GatherOps.put(x, m.create(new long[] {0, 1, 3}, new Shape(3)),
                            m.create(new long[] {1, BIG, BIG}, new Shape(3)), false).toLongArray(),
                    "put");
        }
    }

    /** Scalar arguments may be any Number: Integer, Long, Float and Double give the same result. */
    @Test
    void scalarArgumentsAcceptAnyNumber() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray index = m.create(new long[] {1}, new Shape(1, 1));
            NDArray vector = m.create(new long[] {1}, new Shape(1));
            NDArray src = m.create(new float[] {10, 20}, new Shape(1, 2));
            for (Number n : new Number[] {3, 3L, 3.0f, 3.0}) {
                assertArrayEquals(new float[] {1, 3, 3, 4},
                        GatherOps.scatter(x, 1, index, n).toFloatArray(), "scatter " + n.getClass());
                assertArrayEquals(new float[] {1, 2, 3, 3},
                        GatherOps.indexFill(x, 0, vector, n).toFloatArray(), "indexFill " + n.getClass());
                assertArrayEquals(new float[] {1, 2, 33, 64},
                        GatherOps.indexAdd(x, 0, vector, src, n).toFloatArray(), "indexAdd " + n.getClass());
            }
            NDArray xi = m.create(new long[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray srci = m.create(new long[] {10, 20}, new Shape(1, 2));
            for (Number n : new Number[] {3, 3L, (short) 3, (byte) 3}) {
                assertArrayEquals(new long[] {1, 3, 3, 4},
                        GatherOps.scatter(xi, 1, index, n).toLongArray(), "scatter int64 " + n.getClass());
                assertArrayEquals(new long[] {1, 2, 33, 64},
                        GatherOps.indexAdd(xi, 0, vector, srci, n).toLongArray(), "indexAdd int64 " + n.getClass());
            }
        }
    }
}
