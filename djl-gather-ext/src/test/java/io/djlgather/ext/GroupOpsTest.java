package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.Reference.Dense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroupOps} against {@link GroupReference}'s naive loops: every op and reduction, every
 * axis of ranks 1 to 4, float32/float64/int64 data, int32 and int64 indices, unsorted indices
 * with duplicates and empty groups, broadcast indices, empty inputs; infinities and large
 * values for the softmax family; the segment ops against the scatter versions.
 */
class GroupOpsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static boolean integer(DataType type) {
        return type == DataType.INT64 || type == DataType.INT32;
    }

    /** {@link Support#assertResult}, where equal values (infinities too) always match. */
    static void assertResult(Dense expected, NDArray actual, NDArray input, String context) {
        assertEquals(input.getDevice(), actual.getDevice(), context + ": device");
        assertTrue(input != actual, context + ": the result must be a new array");
        assertValues(expected, actual, input.getDataType(), context);
    }

    /** {@link Support#assertValues}, with infinities compared exactly. */
    static void assertValues(Dense expected, NDArray actual, DataType type, String context) {
        assertEquals(type, actual.getDataType(), context + ": dtype");
        assertArrayEquals(expected.shape, actual.getShape().getShape(), context + ": shape");
        Dense got = Dense.of(actual);
        for (int k = 0; k < expected.size(); k++) {
            final int i = k;
            double e = expected.data[i];
            double g = got.data[i];
            boolean ok = e == g || (Double.isNaN(e) && Double.isNaN(g))
                    || Math.abs(e - g) <= Support.tolerance(type, e);
            assertTrue(ok, () -> context + ": at " + Arrays.toString(expected.position(i))
                    + " expected " + e + " but got " + g + "\n  expected " + expected
                    + "\n  got      " + got);
        }
    }

    // ---------------------------------------------------------------------------------------
    // scatter

    static Stream<Arguments> scatterCases() {
        List<Arguments> cases = new ArrayList<>();
        Support.axisCases().forEach(a -> {
            for (Reduction r : Reduction.values()) {
                Object[] g = a.get();
                cases.add(Arguments.of(g[0], g[1], g[2], g[3], r));
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "rank {0} axis {1} {2} index {3} {4}")
    @MethodSource("scatterCases")
    void scatterMatchesReference(int rank, int axis, DataType type, DataType indexType,
            Reduction reduce) {
        Random r = Support.random("group scatter", rank, axis, type, indexType, reduce);
        int ax = Math.floorMod(axis, rank);
        long[] shape = Support.shape(r, rank, 1, 4);
        Dense src = Support.data(r, type, shape);
        // a full-rank index (unsorted, duplicates) and a 1-D index along the axis (broadcast)
        Dense full = Support.index(r, 0, 4, shape);
        Dense vector = Support.index(r, 0, 4, shape[ax]);
        for (Dense index : new Dense[] {full, vector}) {
            for (long dimSize : new long[] {-1, 6}) {
                Dense ids = GroupReference.groupIds(shape, index, axis);
                Dense expected = GroupReference.scatter(src, ids, axis, dimSize, reduce, integer(type));
                String ctx = "scatter " + reduce + " axis " + axis + " dimSize " + dimSize
                        + " src " + src + " index " + index;
                try (NDManager m = manager.newSubManager()) {
                    NDArray s = src.toNd(m, type);
                    NDArray i = index.toNd(m, indexType);
                    Support.Snapshot before = new Support.Snapshot(s, i);
                    NDArray out = GroupOps.scatter(s, i, axis, dimSize, reduce);
                    assertResult(expected, out, s, ctx);
                    before.assertUnchanged(ctx);
                }
            }
        }
    }

    @ParameterizedTest(name = "rank {0} axis {1} {2} index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterMaxMinMatchReference(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("group arg", rank, axis, type, indexType);
        long[] shape = Support.shape(r, rank, 1, 4);
        // values in [-2, 2] (int64 and float32 alike): ties are common, and the lowest wins
        Dense src = Support.index(r, -2, 3, shape);
        Dense index = Support.index(r, 0, 3, shape);
        Dense ids = GroupReference.groupIds(shape, index, axis);
        for (boolean max : new boolean[] {true, false}) {
            Dense[] expected = GroupReference.scatterArg(src, ids, axis, 5, max);
            String ctx = (max ? "scatterMax" : "scatterMin") + " axis " + axis + " src " + src
                    + " index " + index;
            try (NDManager m = manager.newSubManager()) {
                NDArray s = src.toNd(m, type);
                NDArray i = index.toNd(m, indexType);
                GroupOps.ArgReduced out = max ? GroupOps.scatterMax(s, i, axis, 5)
                        : GroupOps.scatterMin(s, i, axis, 5);
                assertResult(expected[0], out.values(), s, ctx + " values");
                assertValues(expected[1], out.arg(), DataType.INT64, ctx + " arg");
            }
        }
    }

    @Test
    void scatterDocExample() {
        try (NDManager m = manager.newSubManager()) {
            NDArray src = m.create(new float[] {1, 5, 2, 4});
            NDArray group = m.create(new long[] {0, 1, 0, 1});
            assertArrayEquals(new float[] {3, 9, 0},
                    GroupOps.scatter(src, group, 0, 3, Reduction.SUM).toFloatArray());
            assertArrayEquals(new long[] {2, 1}, GroupOps.scatterMax(src, group, 0, -1).arg().toLongArray());
            // a rows-and-features case: index [N] groups whole rows of [N, F]
            NDArray rows = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
            NDArray ids = m.create(new int[] {1, 0, 1});
            assertArrayEquals(new float[] {3, 4, 3, 4},
                    GroupOps.scatter(rows, ids, 0, -1, Reduction.MEAN).toFloatArray());
            // empty groups: 0, PROD 1
            assertArrayEquals(new float[] {3, 4, 5, 12, 1, 1},
                    GroupOps.scatter(rows, ids, 0, 3, Reduction.PROD).toFloatArray());
        }
    }

    @Test
    void emptyInputs() {
        try (NDManager m = manager.newSubManager()) {
            NDArray src = m.create(new float[0], new Shape(0, 3));
            NDArray index = m.create(new long[0]);
            for (Reduction r : Reduction.values()) {
                NDArray out = GroupOps.scatter(src, index, 0, -1, r);
                assertEquals(new Shape(0, 3), out.getShape());
                NDArray sized = GroupOps.scatter(src, index, 0, 2, r);
                float fill = r == Reduction.PROD ? 1 : 0;
                assertArrayEquals(new float[] {fill, fill, fill, fill, fill, fill}, sized.toFloatArray());
            }
            GroupOps.ArgReduced arg = GroupOps.scatterMax(src, index, 0, 2);
            assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0}, arg.arg().toLongArray());
            assertEquals(new Shape(0, 3), GroupOps.scatterSoftmax(src, index, 0).getShape());
            float[] lse = GroupOps.scatterLogSumExp(src, index, 0, 2).toFloatArray();
            for (float v : lse) {
                assertEquals(Float.NEGATIVE_INFINITY, v);
            }
            NDArray ptr = m.create(new long[] {0, 0, 0});
            assertArrayEquals(new float[6], GroupOps.segmentCsr(src, ptr, Reduction.SUM).toFloatArray());
            assertEquals(new Shape(2, 3), GroupOps.segmentCoo(src, index, 2, Reduction.AMAX).getShape());
            assertEquals(new Shape(0, 3), GroupOps.gatherCoo(m.create(new float[6], new Shape(2, 3)), index).getShape());
            assertEquals(new Shape(0, 3), GroupOps.gatherCsr(src, m.create(new long[] {0})).getShape());
        }
    }

    // ---------------------------------------------------------------------------------------
    // softmax family

    static Stream<Arguments> floatAxisCases() {
        return Support.axisCases().filter(a -> a.get()[2] != DataType.INT64);
    }

    @ParameterizedTest(name = "rank {0} axis {1} {2} index {3}")
    @MethodSource("floatAxisCases")
    void softmaxFamilyMatchesReference(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("group softmax", rank, axis, type, indexType);
        long[] shape = Support.shape(r, rank, 1, 4);
        Dense src = Support.data(r, type, shape);
        Dense index = Support.index(r, 0, 4, shape);
        Dense ids = GroupReference.groupIds(shape, index, axis);
        String ctx = "axis " + axis + " src " + src + " index " + index;
        try (NDManager m = manager.newSubManager()) {
            NDArray s = src.toNd(m, type);
            NDArray i = index.toNd(m, indexType);
            Support.Snapshot before = new Support.Snapshot(s, i);
            assertResult(GroupReference.softmax(src, ids, axis, false),
                    GroupOps.scatterSoftmax(s, i, axis), s, "softmax " + ctx);
            assertResult(GroupReference.softmax(src, ids, axis, true),
                    GroupOps.scatterLogSoftmax(s, i, axis), s, "logSoftmax " + ctx);
            assertResult(GroupReference.logSumExp(src, ids, axis, 6),
                    GroupOps.scatterLogSumExp(s, i, axis, 6), s, "logSumExp " + ctx);
            assertGroupsSumToOne(GroupOps.scatterSoftmax(s, i, axis), ids, axis, ctx);
            before.assertUnchanged(ctx);
        }
    }

    private static void assertGroupsSumToOne(NDArray softmax, Dense ids, int axis, String ctx) {
        Dense w = Dense.of(softmax);
        Dense sums = GroupReference.scatter(w, ids, axis, -1, Reduction.SUM, false);
        Dense counts = GroupReference.scatter(
                Dense.of(ids.shape, filled(ids.size(), 1)), ids, axis, -1, Reduction.SUM, false);
        for (int g = 0; g < sums.size(); g++) {
            if (counts.data[g] > 0 && !Double.isNaN(sums.data[g])) {
                assertEquals(1.0, sums.data[g], 1e-6, ctx + ": group sum at slot " + g);
            }
        }
    }

    private static double[] filled(int n, double v) {
        double[] d = new double[n];
        Arrays.fill(d, v);
        return d;
    }

    /** Large, infinite and NaN values: stable where a limit exists, NaN where torch.softmax is. */
    @Test
    void softmaxWithLargeAndInfiniteValues() {
        double inf = Double.POSITIVE_INFINITY;
        double[] values = {
            1e30, 1e30 - 1e15, -1e30,      // group 0: large finite
            inf, 3, inf, -inf,             // group 1: two +inf share the weight
            -inf, -inf,                    // group 2: all -inf: NaN
            -inf, 2, 700,                  // group 3: a -inf gets 0; exp(700) would overflow float32
            Double.NaN, 1,                 // group 4: NaN
            5                              // group 5: alone: 1
        };
        double[] group = {0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5};
        Dense src = Dense.of(new long[] {values.length}, values);
        Dense index = Dense.of(new long[] {group.length}, group);
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            Dense exact = Dense.of(src.toNd(manager, type));  // values as stored in the dtype
            try (NDManager m = manager.newSubManager()) {
                NDArray s = src.toNd(m, type);
                NDArray i = index.toNd(m, DataType.INT64);
                Dense soft = GroupReference.softmax(exact, index, 0, false);
                assertValues(soft, GroupOps.scatterSoftmax(s, i, 0), type, "softmax " + type);
                assertEquals(0.5, soft.data[3]);
                assertEquals(0.0, soft.data[9]);
                assertTrue(Double.isNaN(soft.data[7]));
                assertValues(GroupReference.softmax(exact, index, 0, true),
                        GroupOps.scatterLogSoftmax(s, i, 0), type, "logSoftmax " + type);
                assertValues(GroupReference.logSumExp(exact, index, 0, 7),
                        GroupOps.scatterLogSumExp(s, i, 0, 7), type, "logSumExp " + type);
                assertGroupsSumToOne(GroupOps.scatterSoftmax(s, i, 0), index, 0, "softmax " + type);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // segments

    /** A random CSR indptr of S + 1 offsets in [0, n], non-decreasing, for one row. */
    private static double[] indptrRow(Random r, int segments, long n) {
        double[] row = new double[segments + 1];
        for (int s = 0; s <= segments; s++) {
            row[s] = r.nextInt((int) n + 1);
        }
        Arrays.sort(row);
        return row;
    }

    static Stream<Arguments> segmentCases() {
        List<Arguments> cases = new ArrayList<>();
        int k = 0;
        for (int rank = 1; rank <= 3; rank++) {
            for (int indptrRank = 1; indptrRank <= rank; indptrRank++) {
                for (DataType type : Support.DATA_TYPES) {
                    for (Reduction reduce : Reduction.values()) {
                        cases.add(Arguments.of(rank, indptrRank, type, Support.INDEX_TYPES[k++ % 2], reduce));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "rank {0} indptr rank {1} {2} index {3} {4}")
    @MethodSource("segmentCases")
    void segmentOpsMatchReferenceAndScatter(int rank, int indptrRank, DataType type,
            DataType indexType, Reduction reduce) {
        Random r = Support.random("group segment", rank, indptrRank, type, indexType, reduce);
        int ax = indptrRank - 1;
        long[] shape = Support.shape(r, rank, 1, 4);
        shape[ax] = 2 + r.nextInt(6);
        Dense src = Support.data(r, type, shape);
        // indptr: src.shape[:ax] (the first leading size may be 1: broadcast) + [S + 1]
        int segments = 1 + r.nextInt(4);
        long[] ptrShape = new long[indptrRank];
        for (int d = 0; d < ax; d++) {
            ptrShape[d] = d == 0 && r.nextBoolean() ? 1 : shape[d];
        }
        ptrShape[ax] = segments + 1;
        Dense indptr = Dense.zeros(ptrShape);
        for (int row = 0; row < indptr.size() / (segments + 1); row++) {
            double[] offsets = indptrRow(r, segments, shape[ax]);
            System.arraycopy(offsets, 0, indptr.data, row * (segments + 1), segments + 1);
        }
        String ctx = reduce + " src " + src + " indptr " + indptr;
        boolean isInt = integer(type);
        try (NDManager m = manager.newSubManager()) {
            NDArray s = src.toNd(m, type);
            NDArray p = indptr.toNd(m, indexType);
            Support.Snapshot before = new Support.Snapshot(s, p);
            assertResult(GroupReference.segmentCsr(src, indptr, reduce, isInt),
                    GroupOps.segmentCsr(s, p, reduce), s, "segmentCsr " + ctx);

            // segmentCoo with a sorted index of the same leading layout, equal to scatter
            Dense sorted = Dense.zeros(withLast(ptrShape, shape[ax]));
            int rows = sorted.size() / (int) shape[ax];
            for (int row = 0; row < rows; row++) {
                double[] ids = new double[(int) shape[ax]];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = r.nextInt(segments + 2);
                }
                Arrays.sort(ids);
                System.arraycopy(ids, 0, sorted.data, row * ids.length, ids.length);
            }
            Dense ids = GroupReference.cooIds(shape, sorted);
            long dimSize = segments + 3;
            Dense expected = GroupReference.scatter(src, ids, ax, dimSize, reduce, isInt);
            NDArray i = sorted.toNd(m, indexType);
            NDArray coo = GroupOps.segmentCoo(s, i, dimSize, reduce);
            assertResult(expected, coo, s, "segmentCoo " + ctx + " index " + sorted);
            NDArray full = ids.toNd(m, indexType);
            NDArray viaScatter = GroupOps.scatter(s, full, ax, dimSize, reduce);
            assertArrayEquals(viaScatter.toByteArray(), coo.toByteArray(),
                    "segmentCoo bit-identical to scatter " + ctx);

            // the inverses
            Dense perSegment = Support.data(r, type, withAxis(shape, ax, segments));
            NDArray ps = perSegment.toNd(m, type);
            assertResult(GroupReference.gatherCsr(perSegment, indptr),
                    GroupOps.gatherCsr(ps, p), ps, "gatherCsr " + ctx);
            Dense perGroup = Support.data(r, type, withAxis(shape, ax, dimSize));
            NDArray pg = perGroup.toNd(m, type);
            assertResult(GroupReference.gatherCoo(perGroup, sorted),
                    GroupOps.gatherCoo(pg, i), pg, "gatherCoo " + ctx);
            before.assertUnchanged(ctx);
        }
    }

    private static long[] withLast(long[] shape, long size) {
        long[] out = shape.clone();
        out[out.length - 1] = size;
        return out;
    }

    private static long[] withAxis(long[] shape, int ax, long size) {
        long[] out = shape.clone();
        out[ax] = size;
        return out;
    }

    /** segmentCsr equals scatter with the segments' ids, bit for bit, for float data too. */
    @Test
    void segmentCsrEqualsScatterBitForBit() {
        Random r = Support.random("csr bits");
        int n = 5000;
        float[] values = new float[n * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        long[] ptr = {0, 7, 7, 1000, 2500, 4999, 5000};
        long[] ids = new long[n];
        for (int s = 0; s + 1 < ptr.length; s++) {
            for (long j = ptr[s]; j < ptr[s + 1]; j++) {
                ids[(int) j] = s;
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray src = m.create(values, new Shape(n, 3));
            for (Reduction reduce : Reduction.values()) {
                NDArray csr = GroupOps.segmentCsr(src, m.create(ptr), reduce);
                NDArray scatter = GroupOps.scatter(src, m.create(ids), 0, ptr.length - 1, reduce);
                assertArrayEquals(scatter.toByteArray(), csr.toByteArray(), reduce.toString());
            }
        }
    }

    /** float16 (accepted for every op): the float32 result rounded, within float16's precision. */
    @Test
    void float16MatchesFloat32() {
        try (NDManager m = manager.newSubManager()) {
            NDArray f32 = m.create(new float[] {0.5f, -1.25f, 2f, 3.5f, -0.75f, 1f, 0.25f, -2f},
                    new Shape(4, 2));
            NDArray f16 = f32.toType(DataType.FLOAT16, false);
            NDArray ids = m.create(new long[] {1, 0, 1, 1});
            NDArray ptr = m.create(new long[] {0, 1, 4});
            NDArray sorted = m.create(new long[] {0, 1, 1, 1});
            List<java.util.function.Function<NDArray, NDArray>> ops = new ArrayList<>();
            for (Reduction r : Reduction.values()) {
                ops.add(x -> GroupOps.scatter(x, ids, 0, 3, r));
                ops.add(x -> GroupOps.segmentCsr(x, ptr, r));
                ops.add(x -> GroupOps.segmentCoo(x, sorted, 3, r));
            }
            ops.add(x -> GroupOps.scatterMax(x, ids, 0, 3).values());
            ops.add(x -> GroupOps.scatterMin(x, ids, 0, 3).values());
            ops.add(x -> GroupOps.scatterSoftmax(x, ids, 0));
            ops.add(x -> GroupOps.scatterLogSoftmax(x, ids, 0));
            ops.add(x -> GroupOps.scatterLogSumExp(x, ids, 0, 3));
            ops.add(x -> GroupOps.gatherCsr(x, m.create(new long[] {0, 1, 1, 3, 6})));
            ops.add(x -> GroupOps.gatherCoo(x, m.create(new long[] {3, 0, 0})));
            for (int k = 0; k < ops.size(); k++) {
                NDArray want = ops.get(k).apply(f32);
                NDArray got = ops.get(k).apply(f16);
                assertEquals(DataType.FLOAT16, got.getDataType(), "op " + k);
                float[] w = want.toFloatArray();
                float[] g = got.toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    assertTrue(w[i] == g[i] || Math.abs(w[i] - g[i]) <= 2e-3 * Math.max(1, Math.abs(w[i])),
                            "op " + k + " at " + i + ": float32 " + w[i] + ", float16 " + g[i]);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // errors and ownership

    @Test
    void badArgumentsAreRejectedWithTheirValues() {
        try (NDManager m = manager.newSubManager()) {
            NDArray src = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray index = m.create(new long[] {0, 1, 0}, new Shape(1, 3));
            assertMessage("scatter: index is out of range along axis 1; expected values in [0, 1), got 1 (index values span [0, 1])",
                    () -> GroupOps.scatter(src, index, 1, 1, Reduction.SUM));
            assertMessage("scatter: index is out of range along axis 1; expected values in [0, 1), got 1 (index values span [0, 1])",
                    () -> GroupOps.scatter(src, index, -1, 1, Reduction.MEAN).toFloatArray(), true);
            assertMessage("scatterSoftmax: index is out of range along axis 1 (no negative groups); expected values in [0, 2), got -2 (index values span [-2, 1])",
                    () -> GroupOps.scatterSoftmax(src, m.create(new long[] {-2, 1, 0}), 1));
            assertMessage("scatter: index must hold integers; expected dtype int32 or int64, got float32",
                    () -> GroupOps.scatter(src, m.create(new float[] {0, 1, 0}), 1, 2, Reduction.SUM));
            assertMessage("scatter: index does not broadcast to src along axis 1; expected a vector of 3 (or 1) entries (src shape (2, 3)), got 2 (shape (2))",
                    () -> GroupOps.scatter(src, m.create(new long[] {0, 1}), 1, 2, Reduction.SUM));
            assertMessage("scatter: index does not broadcast to src at dimension 0; expected size 2 or 1 (src shape (2, 3)), got 3 (shape (3, 3))",
                    () -> GroupOps.scatter(src, m.create(new long[9], new Shape(3, 3)), 1, 2, Reduction.SUM));
            assertMessage("scatter: reduce is null; expected a value, got null",
                    () -> GroupOps.scatter(src, index, 1, 2, null));
            assertMessage("scatter: src is null; expected an NDArray, got null",
                    () -> GroupOps.scatter(null, index, 1, 2, Reduction.SUM));
            assertMessage("scatter: axis is out of range for src of shape (2, 3); expected an axis in [-2, 2), got 2",
                    () -> GroupOps.scatter(src, index, 2, 2, Reduction.SUM));
            assertMessage("scatterLogSumExp: src has an unsupported dtype; expected float16, float32 or float64, got int64",
                    () -> GroupOps.scatterLogSumExp(m.create(new long[] {1, 2}), m.create(new long[] {0, 0}), 0, 1));
            assertMessage("scatter: src must have at least one axis; expected rank >= 1, got rank 0 (a scalar)",
                    () -> GroupOps.scatter(m.create(1f), m.create(new long[] {0}), 0, 1, Reduction.SUM));
            NDArray vec = m.create(new float[] {1, 2, 3, 4});
            assertMessage("segmentCsr: indptr decreases along its last axis; expected non-decreasing offsets, got a step of -2",
                    () -> GroupOps.segmentCsr(vec, m.create(new long[] {0, 3, 1, 4}), Reduction.SUM));
            assertMessage("segmentCsr: indptr is out of range along axis 0; expected offsets in [0, 4], got 5 (indptr values span [0, 5])",
                    () -> GroupOps.segmentCsr(vec, m.create(new long[] {0, 5}), Reduction.SUM));
            assertMessage("segmentCsr: indptr is out of range along axis 0; expected offsets in [0, 4], got -1 (indptr values span [-1, 2])",
                    () -> GroupOps.segmentCsr(vec, m.create(new int[] {-1, 2}), Reduction.SUM));
            assertMessage("segmentCoo: sortedIndex is not sorted along its last axis 0; expected non-decreasing values, got a step of -1",
                    () -> GroupOps.segmentCoo(vec, m.create(new long[] {0, 1, 0, 2}), -1, Reduction.SUM));
            assertMessage("segmentCoo: sortedIndex must have one entry per element along axis 0; expected size 4 at its last axis (src shape (4)), got 3 (shape (3))",
                    () -> GroupOps.segmentCoo(vec, m.create(new long[] {0, 1, 2}), -1, Reduction.SUM));
            assertMessage("segmentCoo: sortedIndex is out of range along axis 0 (dimSize 2); expected values in [0, 2), got 3 (index values span [0, 3])",
                    () -> GroupOps.segmentCoo(vec, m.create(new long[] {0, 1, 1, 3}), 2, Reduction.SUM));
            assertMessage("gatherCsr: indptr must bound one segment per element of src along axis 0; expected size 5 at its last axis (src shape (4)), got 3 (shape (3))",
                    () -> GroupOps.gatherCsr(vec, m.create(new long[] {0, 1, 2})));
            assertMessage("gatherCsr: indptr decreases along its last axis; expected non-decreasing offsets, got a step of -1",
                    () -> GroupOps.gatherCsr(vec, m.create(new long[] {0, 2, 1, 3, 4})));
            assertMessage("gatherCoo: sortedIndex is out of range along axis 0; expected values in [0, 4), got 4 (index values span [0, 4])",
                    () -> GroupOps.gatherCoo(vec, m.create(new long[] {0, 4})), true);
            assertMessage("segmentCsr: indptr has the wrong rank; expected rank 1 to 1 (src shape (4)), got rank 2 (shape (1, 2))",
                    () -> GroupOps.segmentCsr(vec, m.create(new long[] {0, 2}, new Shape(1, 2)), Reduction.SUM));
        }
    }

    private static void assertMessage(String expected, Runnable call) {
        assertMessage(expected, call, false);
    }

    /** cause: the message may come from the kernel's failure explained (the CPU path). */
    private static void assertMessage(String expected, Runnable call, boolean explained) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void resultsBelongToTheYoungestArgumentManager() {
        try (NDManager model = manager.newSubManager();
                NDManager request = model.newSubManager()) {
            NDArray table = model.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2));
            NDArray perSegment = model.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            int before = model.getManagedArrays().size() - request.getManagedArrays().size();
            NDArray ids = request.create(new long[] {1, 0, 1});
            NDArray ptr = request.create(new long[] {0, 2, 3});
            List<NDArray> results = new ArrayList<>();
            results.add(GroupOps.scatter(table, ids, 0, -1, Reduction.SUM));
            results.add(GroupOps.scatter(table, ids, 0, 4, Reduction.AMAX));
            GroupOps.ArgReduced arg = GroupOps.scatterMin(table, ids, 0, -1);
            results.add(arg.values());
            results.add(arg.arg());
            results.add(GroupOps.scatterSoftmax(table, ids, 0));
            results.add(GroupOps.scatterLogSoftmax(table, ids, 0));
            results.add(GroupOps.scatterLogSumExp(table, ids, 0, -1));
            results.add(GroupOps.segmentCsr(table, ptr, Reduction.MEAN));
            results.add(GroupOps.segmentCoo(table, request.create(new long[] {0, 0, 1}), -1, Reduction.SUM));
            results.add(GroupOps.gatherCsr(perSegment, ptr));
            results.add(GroupOps.gatherCoo(table, ids));
            for (NDArray result : results) {
                assertSame(request, result.getManager(), "result of shape " + result.getShape());
            }
            int after = model.getManagedArrays().size() - request.getManagedArrays().size();
            assertEquals(before, after, "the model manager holds no result and no temporary");
        }
    }
}
