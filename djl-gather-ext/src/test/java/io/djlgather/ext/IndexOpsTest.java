package io.djlgather.ext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.Reference.Dense;
import io.djlgather.ext.Support.Snapshot;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * indexSelect, indexAdd, indexCopy, indexFill and indexReduce (a 1-D index choosing slices along
 * an axis) against {@link Reference}, over the same table as {@link GatherScatterTest}.
 */
class IndexOpsTest {

    private static final Reduction[] INDEX_REDUCTIONS = {
        Reduction.PROD, Reduction.MEAN, Reduction.AMAX, Reduction.AMIN
    };

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** input's shape with size {@code n} on axis {@code ax}: the shape of src for the index ops. */
    private static long[] withSize(long[] shape, int ax, long n) {
        long[] s = shape.clone();
        s[ax] = n;
        return s;
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexSelect(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("indexSelect", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, 0, inShape[ax], 1 + r.nextInt(5));
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, iNd);
            NDArray out = GatherOps.indexSelect(xNd, axis, iNd);
            String ctx = "indexSelect(axis " + axis + ") input " + x + " index " + idx;
            Support.assertResult(Reference.indexSelect(x, axis, idx), out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    /** Duplicated indices accumulate; alpha absent, 1, and a non-trivial value. */
    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexAdd(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("indexAdd", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long n = inShape[ax] + 1 + r.nextInt(2);
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, 0, inShape[ax], n);
        Dense src = Support.data(r, type, withSize(inShape, ax, n));
        Number alpha = type == DataType.INT64 ? (Number) (-3L) : (Number) 2.5;
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            NDArray sNd = src.toNd(m, type);
            Snapshot before = new Snapshot(xNd, iNd, sNd);
            String ctx = "indexAdd(axis " + axis + ") input " + x + " index " + idx + " src " + src;

            NDArray out = GatherOps.indexAdd(xNd, axis, iNd, sNd);
            Support.assertResult(Reference.indexAdd(x, axis, idx, src, 1), out, xNd, ctx);
            before.assertUnchanged(ctx);

            Number one = type == DataType.INT64 ? (Number) 1L : (Number) 1.0;
            out = GatherOps.indexAdd(xNd, axis, iNd, sNd, one);
            Support.assertResult(Reference.indexAdd(x, axis, idx, src, 1), out, xNd, ctx + " alpha 1");
            before.assertUnchanged(ctx + " alpha 1");

            out = GatherOps.indexAdd(xNd, axis, iNd, sNd, alpha);
            Support.assertResult(Reference.indexAdd(x, axis, idx, src, alpha.doubleValue()),
                    out, xNd, ctx + " alpha " + alpha);
            before.assertUnchanged(ctx + " alpha " + alpha);
        }
    }

    /** Distinct indices (index_copy with duplicates is nondeterministic in torch). */
    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexCopy(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("indexCopy", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long n = 1 + r.nextInt((int) inShape[ax]);
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.uniqueAlong(r, 0, inShape[ax], n);
        Dense src = Support.data(r, type, withSize(inShape, ax, n));
        Support.checkSrcOp(manager, "indexCopy(axis " + axis + ")",
                Reference.indexCopy(x, axis, idx, src), x, idx, src, type, indexType,
                (a, i, v) -> GatherOps.indexCopy(a, axis, i, v));
    }

    /** Index values in [-size, size): negative ones count from the end, as in torch; duplicates allowed. */
    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexFill(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("indexFill", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, -inShape[ax], inShape[ax], 1 + r.nextInt(4));
        Number value = type == DataType.INT64 ? (Number) (-11L) : (Number) 6.75;
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, iNd);
            NDArray out = GatherOps.indexFill(xNd, axis, iNd, value);
            String ctx = "indexFill(axis " + axis + ", value " + value + ") input " + x + " index " + idx;
            Support.assertResult(Reference.indexFill(x, axis, idx, value.doubleValue()), out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    /** PROD, MEAN, AMAX, AMIN, with and without the input, on an index with duplicates. */
    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void indexReduce(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("indexReduce", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        // One more entry than slices: at least one slice receives two; some may receive none.
        long n = inShape[ax] + 1;
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, 0, inShape[ax], n);
        Dense src = Support.data(r, type, withSize(inShape, ax, n));
        boolean integral = type == DataType.INT64;
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            NDArray sNd = src.toNd(m, type);
            Snapshot before = new Snapshot(xNd, iNd, sNd);
            for (Reduction reduce : INDEX_REDUCTIONS) {
                for (boolean includeSelf : new boolean[] {true, false}) {
                    NDArray out = GatherOps.indexReduce(xNd, axis, iNd, sNd, reduce, includeSelf);
                    String ctx = "indexReduce(axis " + axis + ", " + reduce + ", includeSelf "
                            + includeSelf + ") input " + x + " index " + idx + " src " + src;
                    Support.assertResult(
                            Reference.indexReduce(x, axis, idx, src, reduce, includeSelf, integral),
                            out, xNd, ctx);
                    before.assertUnchanged(ctx);
                }
            }
        }
    }
}
