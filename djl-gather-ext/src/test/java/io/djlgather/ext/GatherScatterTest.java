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
 * gather, scatter (src and value), scatterAdd and scatterReduce against {@link Reference}, on
 * seeded random cases over ranks 1-4, every axis (negative too), int32 and int64 indices and
 * float32, float64 and int64 data.
 */
class GatherScatterTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Shapes for a scatter-like case: input, index (fits input off axis) and src (>= index). */
    private static final class ScatterShapes {
        final long[] input;
        final long[] index;
        final long[] src;

        /**
         * @param unique whether index values must be distinct along axis (index.size(axis) <=
         *     input.size(axis)); otherwise index.size(axis) exceeds input.size(axis), so every
         *     fiber holds duplicates
         */
        ScatterShapes(Random r, int rank, int ax, boolean unique) {
            input = Support.shape(r, rank, 1, 4);
            index = new long[rank];
            src = new long[rank];
            for (int d = 0; d < rank; d++) {
                if (d == ax) {
                    index[d] = unique
                            ? 1 + r.nextInt((int) input[d])
                            : input[d] + 1 + r.nextInt(2);
                } else {
                    index[d] = 1 + r.nextInt((int) input[d]);
                }
                src[d] = index[d] + r.nextInt(2);
            }
        }
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void gather(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("gather", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long[] idxShape = new long[rank];
        for (int d = 0; d < rank; d++) {
            idxShape[d] = d == ax ? 1 + r.nextInt(5) : 1 + r.nextInt((int) inShape[d]);
        }
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, 0, inShape[ax], idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, iNd);
            NDArray out = GatherOps.gather(xNd, axis, iNd);
            String ctx = "gather(axis " + axis + ") input " + x + " index " + idx;
            Support.assertResult(Reference.gather(x, axis, idx), out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterSrc(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("scatter", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        ScatterShapes s = new ScatterShapes(r, rank, ax, true);
        Dense x = Support.data(r, type, s.input);
        Dense idx = Support.uniqueAlong(r, ax, s.input[ax], s.index);
        Dense src = Support.data(r, type, s.src);
        Support.checkSrcOp(manager, "scatter(axis " + axis + ")",
                Reference.scatter(x, axis, idx, src), x, idx, src, type, indexType,
                (a, i, v) -> GatherOps.scatter(a, axis, i, v));
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterValue(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("scatterValue", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        ScatterShapes s = new ScatterShapes(r, rank, ax, true);
        Dense x = Support.data(r, type, s.input);
        Dense idx = Support.uniqueAlong(r, ax, s.input[ax], s.index);
        // A value the dtype holds exactly; for int64 an integral Number.
        Number value = type == DataType.INT64 ? (Number) 7L : (Number) (-3.25);
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, iNd);
            NDArray out = GatherOps.scatter(xNd, axis, iNd, value);
            String ctx = "scatter(axis " + axis + ", value " + value + ") input " + x + " index " + idx;
            Support.assertResult(
                    Reference.scatter(x, axis, idx, value.doubleValue()), out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterAdd(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("scatterAdd", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        ScatterShapes s = new ScatterShapes(r, rank, ax, false);
        Dense x = Support.data(r, type, s.input);
        Dense idx = Support.index(r, 0, s.input[ax], s.index);
        Dense src = Support.data(r, type, s.src);
        Support.checkSrcOp(manager, "scatterAdd(axis " + axis + ")",
                Reference.scatterAdd(x, axis, idx, src), x, idx, src, type, indexType,
                (a, i, v) -> GatherOps.scatterAdd(a, axis, i, v));
    }

    /** Every reduction, with and without the input, on an index with duplicates in every fiber. */
    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void scatterReduce(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("scatterReduce", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        ScatterShapes s = new ScatterShapes(r, rank, ax, false);
        Dense x = Support.data(r, type, s.input);
        Dense idx = Support.index(r, 0, s.input[ax], s.index);
        Dense src = Support.data(r, type, s.src);
        boolean integral = type == DataType.INT64;
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            NDArray sNd = src.toNd(m, type);
            Snapshot before = new Snapshot(xNd, iNd, sNd);
            for (Reduction reduce : Reduction.values()) {
                for (boolean includeSelf : new boolean[] {true, false}) {
                    NDArray out = GatherOps.scatterReduce(xNd, axis, iNd, sNd, reduce, includeSelf);
                    String ctx = "scatterReduce(axis " + axis + ", " + reduce + ", includeSelf "
                            + includeSelf + ") input " + x + " index " + idx + " src " + src;
                    Support.assertResult(
                            Reference.scatterReduce(x, axis, idx, src, reduce, includeSelf, integral),
                            out, xNd, ctx);
                    before.assertUnchanged(ctx);
                }
            }
        }
    }
}
