package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.Reference.Dense;
import io.djlgather.ext.Support.Snapshot;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ops under {@link IndexMode} against {@link ModeReference}: every read under CLIP and FILL,
 * every write under CLIP and DROP, on seeded random cases over ranks 1-4, every axis (negative
 * too), int32 and int64 indices, float32, float64 and int64 data, with index values drawn
 * beyond both ends of the valid range (negative ones included) and duplicates for the writes.
 * Each case also checks that no argument changed and that ERROR is the op without a mode.
 */
class IndexModeTest {

    private static final IndexMode FILL = IndexMode.fill(42);

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Index values in [low - 3, high + 3): out of range at both ends, some in range. */
    private static Dense wild(Random r, long low, long high, long... shape) {
        return Support.index(r, low - 3, high + 3, shape);
    }

    /** How many entries of an index name no position (after wrapping). */
    private static int outside(Dense index, long n, boolean wrap) {
        int count = 0;
        for (double v : index.data) {
            count += ModeReference.valid(v, n, wrap) < 0 ? 1 : 0;
        }
        return count;
    }

    /**
     * An index of distinct values along axis, some of them then moved out of range so that the
     * values stay distinct both after clamping (0 goes below, n-1 above) and after dropping.
     */
    private static Dense distinctThenOut(Random r, int ax, long n, long[] shape) {
        Dense idx = Support.uniqueAlong(r, ax, n, shape);
        for (int i = 0; i < idx.size(); i++) {
            if (idx.data[i] == 0 && r.nextBoolean()) {
                idx.data[i] = -1 - r.nextInt(3);
            } else if (idx.data[i] == n - 1 && r.nextBoolean()) {
                idx.data[i] = n + r.nextInt(3);
            }
        }
        return idx;
    }

    /** Runs op on fresh arrays of the values, checks the result and that nothing changed. */
    private static void check(String ctx, Dense expected, DataType type, DataType indexType,
            Dense x, Dense idx, Dense src, Function<NDArray[], NDArray> op) {
        String context = ctx + " input " + x + " index " + idx + (src == null ? "" : " src " + src);
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            NDArray sNd = src == null ? null : src.toNd(m, type);
            Snapshot before = new Snapshot(xNd, iNd);
            before.add(sNd);
            Support.assertResult(expected, op.apply(new NDArray[] {xNd, iNd, sNd}), xNd, context);
            before.assertUnchanged(context);
        }
    }

    private static long[] fitShape(Random r, long[] in, int ax, int alongAxis) {
        long[] shape = new long[in.length];
        for (int d = 0; d < in.length; d++) {
            shape[d] = d == ax ? alongAxis : 1 + r.nextInt((int) in[d]);
        }
        return shape;
    }

    // ---------------------------------------------------------------------------------------
    // Reads: CLIP equals a naive clamp, FILL a naive fill

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void gather(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode gather", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        Dense x = Support.data(r, type, inShape);
        long n = inShape[ax];
        Dense idx = wild(r, 0, n, fitShape(r, inShape, ax, 1 + r.nextInt(6)));
        check("gather CLIP axis " + axis, Reference.gather(x, axis, ModeReference.clip(idx, n, false)),
                type, indexType, x, idx, null, a -> GatherOps.gather(a[0], axis, a[1], IndexMode.CLIP));
        check("gather FILL axis " + axis, ModeReference.gatherFill(x, axis, idx, 42), type,
                indexType, x, idx, null, a -> GatherOps.gather(a[0], axis, a[1], FILL));
        Dense ok = Support.index(r, 0, n, idx.shape);
        check("gather ERROR axis " + axis, Reference.gather(x, axis, ok), type, indexType, x, ok,
                null, a -> GatherOps.gather(a[0], axis, a[1], IndexMode.ERROR));
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void takeAlongAxis(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode takeAlongAxis", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long[] idxShape = new long[rank];
        for (int d = 0; d < rank; d++) {
            // broadcast both ways: a size-1 index or a size-1 input dimension
            idxShape[d] = d == ax ? 1 + r.nextInt(5) : r.nextBoolean() ? 1 : inShape[d];
            if (d != ax && idxShape[d] > 1 && r.nextInt(3) == 0) {
                inShape[d] = 1;
            }
        }
        Dense x = Support.data(r, type, inShape);
        long n = inShape[ax];
        Dense idx = wild(r, 0, n, idxShape);
        check("takeAlongAxis CLIP axis " + axis,
                Reference.takeAlongAxis(x, ModeReference.clip(idx, n, false), axis), type,
                indexType, x, idx, null,
                a -> GatherOps.takeAlongAxis(a[0], a[1], axis, IndexMode.CLIP));
        check("takeAlongAxis FILL axis " + axis, ModeReference.takeAlongAxisFill(x, idx, axis, 42),
                type, indexType, x, idx, null,
                a -> GatherOps.takeAlongAxis(a[0], a[1], axis, FILL));
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexSelect(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode indexSelect", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        Dense x = Support.data(r, type, inShape);
        long n = inShape[ax];
        Dense idx = wild(r, 0, n, 1 + r.nextInt(6));
        check("indexSelect CLIP axis " + axis,
                Reference.indexSelect(x, axis, ModeReference.clip(idx, n, false)), type, indexType,
                x, idx, null, a -> GatherOps.indexSelect(a[0], axis, a[1], IndexMode.CLIP));
        check("indexSelect FILL axis " + axis, ModeReference.indexSelectFill(x, axis, idx, 42),
                type, indexType, x, idx, null, a -> GatherOps.indexSelect(a[0], axis, a[1], FILL));
        try (NDManager m = manager.newSubManager(); NDManager owner = manager.newSubManager()) {
            NDArray out = GatherOps.indexSelect(owner, x.toNd(m, type), axis, idx.toNd(m, indexType), FILL);
            assertSame(owner, out.getManager(), "indexSelect FILL: the result belongs to the named manager");
        }
    }

    @ParameterizedTest(name = "rank {0}, {1}, index {2}")
    @MethodSource("io.djlgather.ext.Support#rankCases")
    void take(int rank, DataType type, DataType indexType) {
        Random r = Support.random("mode take", rank, type, indexType);
        long[] inShape = Support.shape(r, rank, 1, 3);
        Dense x = Support.data(r, type, inShape);
        long n = x.size();
        // [-n-3, n+3): wrapping negatives, and beyond both ends
        Dense idx = wild(r, -n, n, Support.shape(r, 2, 1, 4));
        check("take CLIP", Reference.take(x, ModeReference.clip(idx, n, true)), type, indexType, x,
                idx, null, a -> GatherOps.take(a[0], a[1], IndexMode.CLIP));
        check("take FILL", ModeReference.takeFill(x, idx, 42), type, indexType, x, idx, null,
                a -> GatherOps.take(a[0], a[1], FILL));
    }

    // ---------------------------------------------------------------------------------------
    // Writes: CLIP equals a naive clamp, DROP skips exactly the out-of-range updates

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatter(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode scatter", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long n = inShape[ax];
        long[] idxShape = fitShape(r, inShape, ax, 1 + r.nextInt((int) n));
        Dense x = Support.data(r, type, inShape);
        Dense src = Support.data(r, type, idxShape);
        Dense idx = distinctThenOut(r, ax, n, idxShape);
        check("scatter CLIP axis " + axis,
                Reference.scatter(x, axis, ModeReference.clip(idx, n, false), src), type,
                indexType, x, idx, src, a -> GatherOps.scatter(a[0], axis, a[1], a[2], IndexMode.CLIP));
        check("scatter DROP axis " + axis, ModeReference.scatterDrop(x, axis, idx, src, 0), type,
                indexType, x, idx, src, a -> GatherOps.scatter(a[0], axis, a[1], a[2], IndexMode.DROP));
        Number value = type == DataType.INT64 ? (Number) 7L : (Number) (-3.25);
        check("scatter value CLIP axis " + axis,
                Reference.scatter(x, axis, ModeReference.clip(idx, n, false), value.doubleValue()),
                type, indexType, x, idx, null,
                a -> GatherOps.scatter(a[0], axis, a[1], value, IndexMode.CLIP));
        check("scatter value DROP axis " + axis,
                ModeReference.scatterDrop(x, axis, idx, null, value.doubleValue()), type,
                indexType, x, idx, null,
                a -> GatherOps.scatter(a[0], axis, a[1], value, IndexMode.DROP));
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterAdd(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode scatterAdd", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long n = inShape[ax];
        long[] idxShape = fitShape(r, inShape, ax, (int) n + 2 + r.nextInt(3)); // duplicates
        long[] srcShape = idxShape.clone();
        srcShape[r.nextInt(rank)] += 1; // src larger than index
        Dense x = Support.data(r, type, inShape);
        Dense src = Support.data(r, type, srcShape);
        Dense idx = wild(r, 0, n, idxShape);
        check("scatterAdd CLIP axis " + axis,
                Reference.scatterAdd(x, axis, ModeReference.clip(idx, n, false), src), type,
                indexType, x, idx, src, a -> GatherOps.scatterAdd(a[0], axis, a[1], a[2], IndexMode.CLIP));
        check("scatterAdd DROP axis " + axis, ModeReference.scatterAddDrop(x, axis, idx, src),
                type, indexType, x, idx, src,
                a -> GatherOps.scatterAdd(a[0], axis, a[1], a[2], IndexMode.DROP));
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterReduce(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode scatterReduce", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long n = inShape[ax];
        long[] idxShape = fitShape(r, inShape, ax, (int) n + 1 + r.nextInt(3));
        Dense x = Support.data(r, type, inShape);
        Dense src = Support.data(r, type, idxShape);
        Dense idx = wild(r, 0, n, idxShape);
        boolean integral = type == DataType.INT64;
        for (Reduction reduce : Reduction.values()) {
            boolean self = r.nextBoolean();
            check("scatterReduce CLIP " + reduce + " self " + self + " axis " + axis,
                    Reference.scatterReduce(x, axis, ModeReference.clip(idx, n, false), src, reduce,
                            self, integral),
                    type, indexType, x, idx, src,
                    a -> GatherOps.scatterReduce(a[0], axis, a[1], a[2], reduce, self, IndexMode.CLIP));
            check("scatterReduce DROP " + reduce + " self " + self + " axis " + axis,
                    ModeReference.scatterReduceDrop(x, axis, idx, src, reduce, self, integral),
                    type, indexType, x, idx, src,
                    a -> GatherOps.scatterReduce(a[0], axis, a[1], a[2], reduce, self, IndexMode.DROP));
        }
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexAddAndCopy(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("mode indexAdd", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long n = inShape[ax];
        long[] srcShape = inShape.clone();
        srcShape[ax] = n + 1 + r.nextInt(3);
        Dense x = Support.data(r, type, inShape);
        Dense src = Support.data(r, type, srcShape);
        Dense idx = wild(r, 0, n, srcShape[ax]);
        check("indexAdd CLIP axis " + axis,
                Reference.indexAdd(x, axis, ModeReference.clip(idx, n, false), src, 1), type,
                indexType, x, idx, src, a -> GatherOps.indexAdd(a[0], axis, a[1], a[2], IndexMode.CLIP));
        check("indexAdd DROP axis " + axis,
                ModeReference.indexWriteDrop(x, axis, idx, src, 1, false), type, indexType, x, idx,
                src, a -> GatherOps.indexAdd(a[0], axis, a[1], a[2], IndexMode.DROP));
        Number alpha = type == DataType.INT64 ? (Number) 3L : (Number) 0.5;
        check("indexAdd alpha DROP axis " + axis,
                ModeReference.indexWriteDrop(x, axis, idx, src, alpha.doubleValue(), false), type,
                indexType, x, idx, src,
                a -> GatherOps.indexAdd(a[0], axis, a[1], a[2], alpha, IndexMode.DROP));
        // indexCopy: distinct slices after clamping and dropping
        long[] copyShape = inShape.clone();
        copyShape[ax] = 1 + r.nextInt((int) n);
        Dense csrc = Support.data(r, type, copyShape);
        Dense cidx = distinctThenOut(r, 0, n, new long[] {copyShape[ax]});
        check("indexCopy CLIP axis " + axis,
                Reference.indexCopy(x, axis, ModeReference.clip(cidx, n, false), csrc), type,
                indexType, x, cidx, csrc, a -> GatherOps.indexCopy(a[0], axis, a[1], a[2], IndexMode.CLIP));
        check("indexCopy DROP axis " + axis,
                ModeReference.indexWriteDrop(x, axis, cidx, csrc, 1, true), type, indexType, x,
                cidx, csrc, a -> GatherOps.indexCopy(a[0], axis, a[1], a[2], IndexMode.DROP));
    }

    @ParameterizedTest(name = "rank {0}, {1}, index {2}")
    @MethodSource("io.djlgather.ext.Support#rankCases")
    void put(int rank, DataType type, DataType indexType) {
        Random r = Support.random("mode put", rank, type, indexType);
        long[] inShape = Support.shape(r, rank, 1, 3);
        Dense x = Support.data(r, type, inShape);
        long n = x.size();
        Dense idx = wild(r, -n, n, Support.shape(r, 2, 1, 4));
        Dense src = Support.data(r, type, idx.shape);
        check("put accumulate CLIP", Reference.put(x, ModeReference.clip(idx, n, true), src, true),
                type, indexType, x, idx, src, a -> GatherOps.put(a[0], a[1], a[2], true, IndexMode.CLIP));
        check("put accumulate DROP", ModeReference.putDrop(x, idx, src, true), type, indexType, x,
                idx, src, a -> GatherOps.put(a[0], a[1], a[2], true, IndexMode.DROP));
        // without accumulation: distinct positions among the kept ones
        int[] perm = Support.permutation(r, (int) n);
        Dense uidx = Dense.zeros(Math.min(n, 3) + 2);
        for (int k = 0; k < uidx.size(); k++) {
            uidx.data[k] = k < uidx.size() - 2
                    ? (r.nextBoolean() ? perm[k] - n : perm[k]) // negatives count from the end
                    : (k % 2 == 0 ? n + r.nextInt(3) : -n - 1 - r.nextInt(3));
        }
        Dense usrc = Support.data(r, type, uidx.shape);
        check("put DROP", ModeReference.putDrop(x, uidx, usrc, false), type, indexType, x, uidx,
                usrc, a -> GatherOps.put(a[0], a[1], a[2], false, IndexMode.DROP));
    }

    /** DROP skips exactly the out-of-range updates: ones added into zeros count the kept ones. */
    @Test
    void dropCountsExactlyTheValidUpdates() {
        Random r = Support.random("mode drop count");
        Dense idx = wild(r, 0, 5, 40);
        int outside = outside(idx, 5, false);
        assertTrue(outside > 0 && outside < 40, "the index must mix valid and invalid values");
        try (NDManager m = manager.newSubManager()) {
            NDArray out = GatherOps.scatterAdd(m.zeros(new Shape(5)), 0, idx.toNd(m, DataType.INT64),
                    m.ones(new Shape(40)), IndexMode.DROP);
            assertEquals(40 - outside, out.sum().getFloat(), 0, "sum of kept updates");
            NDArray put = GatherOps.put(m.zeros(new Shape(5)), idx.toNd(m, DataType.INT32),
                    m.ones(new Shape(40)), true, IndexMode.DROP);
            assertEquals(40 - outside(idx, 5, true), put.sum().getFloat(), 0, "put: sum of kept updates");
            assertNotEquals(outside, outside(idx, 5, true), "put wraps negatives, scatterAdd does not");
        }
    }

    /**
     * scatterAdd under DROP sends a dropped update to its clamped position with the value -0.0:
     * the positions it lands on must keep their bits, also -0.0, NaN and infinities, and a
     * dropped NaN or infinity in src must not leak in.
     */
    @Test
    void droppedUpdatesLeaveEveryBitAlone() {
        try (NDManager m = manager.newSubManager()) {
            double[] in = {-0.0, Double.NaN, 5, Double.NEGATIVE_INFINITY};
            NDArray x = m.create(in, new Shape(1, 4));
            // every update out of range; the first lands on position 0 when clamped, the last on 3
            NDArray idx = m.create(new long[] {-1, 4, 9, 7}, new Shape(1, 4));
            NDArray src = m.create(new double[] {Double.NaN, 1, Double.POSITIVE_INFINITY, 2}, new Shape(1, 4));
            double[] out = GatherOps.scatterAdd(x, 1, idx, src, IndexMode.DROP).toDoubleArray();
            for (int i = 0; i < in.length; i++) {
                assertEquals(Double.doubleToRawLongBits(in[i]), Double.doubleToRawLongBits(out[i]),
                        "bits at " + i + ": " + in[i] + " became " + out[i]);
            }
            float[] f = GatherOps.scatterAdd(m.create(new float[] {-0f, 1f}), 0,
                    m.create(new int[] {2, -3, 1}), m.create(new float[] {3f, 4f, 0.5f}), IndexMode.DROP)
                    .toFloatArray();
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f[0]), "float32 -0.0 kept");
            assertEquals(1.5f, f[1]);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Empty index, empty axis, 0-d input

    @Test
    void emptyIndexAndEmptyAxis() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(6f).reshape(2, 3);
            NDArray none = m.create(new long[0], new Shape(2, 0));
            assertEquals(new Shape(2, 0), GatherOps.gather(x, 1, none, IndexMode.CLIP).getShape());
            assertEquals(new Shape(2, 0), GatherOps.gather(x, 1, none, FILL).getShape());
            assertEquals(x, GatherOps.scatterAdd(x, 1, none, m.zeros(new Shape(2, 0)), IndexMode.DROP));
            assertEquals(x, GatherOps.scatterAdd(x, 1, none, m.zeros(new Shape(2, 0)), IndexMode.CLIP));
            // an axis of size 0: FILL fills, DROP drops, CLIP has nowhere to go
            NDArray empty = m.zeros(new Shape(2, 0));
            NDArray idx = m.create(new long[] {0, 5, -1, 0}, new Shape(2, 2));
            NDArray filled = GatherOps.gather(empty, 1, idx, FILL);
            assertEquals(m.full(new Shape(2, 2), 42f), filled);
            assertEquals(m.full(new Shape(3), 42f),
                    GatherOps.indexSelect(m.zeros(new Shape(0)), 0, m.create(new long[] {0, 1, -1}), FILL));
            assertEquals(m.full(new Shape(2), 42f),
                    GatherOps.take(m.zeros(new Shape(0, 2)), m.create(new long[] {0, -1}), FILL));
            assertEquals(empty, GatherOps.scatterAdd(empty, 1, idx, m.ones(new Shape(2, 2)), IndexMode.DROP));
            assertEquals(empty, GatherOps.put(empty, idx, m.ones(new Shape(2, 2)), true, IndexMode.DROP));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.gather(empty, 1, idx, IndexMode.CLIP));
            assertEquals("gather: index cannot be clipped into axis 1 of size 0; expected an empty "
                    + "index or a non-empty axis, got 4 index values", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.scatterAdd(empty, 1, idx, m.ones(new Shape(2, 2)), IndexMode.CLIP));
            // a 0-d input counts as one element along axis 0
            NDArray scalar = m.create(5f);
            NDArray at = m.create(new long[] {3});
            assertEquals(m.create(new float[] {42f}), GatherOps.take(scalar, at, FILL));
            assertEquals(m.create(new float[] {5f}), GatherOps.take(scalar, at, IndexMode.CLIP));
            assertEquals(scalar, GatherOps.scatter(scalar, 0, m.create(3L), m.create(9f), IndexMode.DROP));
            assertEquals(m.create(9f), GatherOps.scatter(scalar, 0, m.create(3L), m.create(9f), IndexMode.CLIP));
            assertEquals(m.create(14f), GatherOps.indexAdd(scalar, 0, m.create(new long[] {-1}),
                    m.create(9f), IndexMode.CLIP));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Errors

    @Test
    void modesAnOpDoesNotTake() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(6f).reshape(2, 3);
            NDArray idx = m.create(new long[] {0, 1}, new Shape(2, 1));
            NDArray src = m.ones(new Shape(2, 1));
            Snapshot before = new Snapshot(x, idx, src);
            assertEquals("gather: mode is not supported by a read (nothing to skip); expected "
                            + "ERROR, CLIP or FILL, got DROP",
                    assertThrows(IllegalArgumentException.class,
                            () -> GatherOps.gather(x, 1, idx, IndexMode.DROP)).getMessage());
            assertEquals("scatterAdd: mode is not supported by a write (nothing to read); expected "
                            + "ERROR, CLIP or DROP, got FILL(42.0)",
                    assertThrows(IllegalArgumentException.class,
                            () -> GatherOps.scatterAdd(x, 1, idx, src, FILL)).getMessage());
            assertEquals("take: mode is null; expected a value, got null",
                    assertThrows(IllegalArgumentException.class,
                            () -> GatherOps.take(x, idx, null)).getMessage());
            String[] reads = {"takeAlongAxis", "indexSelect", "take", "gatherNd"};
            Runnable[] readCalls = {
                () -> GatherOps.takeAlongAxis(x, idx, 1, IndexMode.DROP),
                () -> GatherOps.indexSelect(x, 1, m.create(new long[] {0}), IndexMode.DROP),
                () -> GatherOps.take(x, idx, IndexMode.DROP),
                () -> GatherOps.gatherNd(x, idx, 0, IndexMode.DROP),
            };
            for (int k = 0; k < reads.length; k++) {
                Runnable call = readCalls[k];
                String msg = assertThrows(IllegalArgumentException.class, call::run).getMessage();
                assertTrue(msg.startsWith(reads[k] + ": mode is not supported by a read"), msg);
            }
            String[] writes = {"scatter", "scatter", "scatterReduce", "indexAdd", "indexAdd", "indexCopy", "put"};
            NDArray v = m.create(new long[] {0});
            NDArray slice = m.ones(new Shape(2, 1));
            Runnable[] writeCalls = {
                () -> GatherOps.scatter(x, 1, idx, src, FILL),
                () -> GatherOps.scatter(x, 1, idx, 1.0, FILL),
                () -> GatherOps.scatterReduce(x, 1, idx, src, Reduction.SUM, true, FILL),
                () -> GatherOps.indexAdd(x, 1, v, slice, FILL),
                () -> GatherOps.indexAdd(x, 1, v, slice, 2.0, FILL),
                () -> GatherOps.indexCopy(x, 1, v, slice, FILL),
                () -> GatherOps.put(x, idx, src, false, FILL),
            };
            for (int k = 0; k < writes.length; k++) {
                Runnable call = writeCalls[k];
                String msg = assertThrows(IllegalArgumentException.class, call::run).getMessage();
                assertTrue(msg.startsWith(writes[k] + ": mode is not supported by a write"), msg);
            }
            // a fill value an int64 input cannot hold
            NDArray longs = m.create(new long[] {1, 2, 3});
            assertEquals("take: mode has a fill value that a int64 input cannot hold; expected an "
                            + "integral value in the dtype's range, got FILL(0.5)",
                    assertThrows(IllegalArgumentException.class,
                            () -> GatherOps.take(longs, v, IndexMode.fill(0.5))).getMessage());
            // ERROR still raises for an out-of-range value
            NDArray bad = m.create(new long[] {0, 3}, new Shape(2, 1));
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.gather(x, 1, bad, IndexMode.ERROR)).getMessage();
            assertTrue(msg.startsWith("gather: index is out of range along axis 1"), msg);
            before.assertUnchanged("calls that fail");
        }
    }

    @Test
    void modeValues() {
        assertEquals(IndexMode.fill(Double.NaN), IndexMode.fill(Double.NaN));
        assertNotEquals(IndexMode.fill(0.0), IndexMode.fill(-0.0));
        assertEquals(IndexMode.Kind.FILL, IndexMode.fill(1).kind());
        assertEquals(1.5, IndexMode.fill(1.5).fillValue());
        assertEquals("FILL(1.5)", IndexMode.fill(1.5).toString());
        assertEquals("CLIP", IndexMode.CLIP.toString());
        assertThrows(IllegalStateException.class, IndexMode.DROP::fillValue);
    }

    /** FILL keeps the input's dtype, also where an integral fill value would promote it. */
    @Test
    void fillKeepsTheDtype() {
        try (NDManager m = manager.newSubManager()) {
            NDArray flags = m.create(new boolean[] {true, false, true});
            NDArray idx = m.create(new long[] {1, 5, -1});
            NDArray out = GatherOps.take(flags, idx, IndexMode.fill(1));
            assertEquals(DataType.BOOLEAN, out.getDataType());
            assertEquals(m.create(new boolean[] {false, true, true}), out);
            NDArray ints = m.create(new int[] {4, 5, 6}, new Shape(1, 3));
            NDArray nd = GatherOps.gatherNd(ints, m.create(new long[] {0, 2, 0, 3}, new Shape(2, 2)), 0,
                    IndexMode.fill(-1));
            assertEquals(DataType.INT32, nd.getDataType());
            assertEquals(m.create(new int[] {6, -1}), nd);
            NDArray halves = m.create(new float[] {1, 2}).toType(DataType.FLOAT16, false);
            assertEquals(DataType.FLOAT16, GatherOps.indexSelect(halves, 0, idx, IndexMode.fill(0.5)).getDataType());
        }
    }

    /** A NaN fill value for floats; the filled positions read NaN, the others the input. */
    @Test
    void nanFill() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new double[] {1, 2, 3});
            double[] out = GatherOps.take(x, m.create(new int[] {0, 7, -1, -4}), IndexMode.fill(Double.NaN))
                    .toDoubleArray();
            assertEquals(1, out[0]);
            assertTrue(Double.isNaN(out[1]));
            assertEquals(3, out[2]);
            assertTrue(Double.isNaN(out[3]));
        }
    }
}
