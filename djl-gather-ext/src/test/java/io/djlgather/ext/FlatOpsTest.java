package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.Reference.Dense;
import io.djlgather.ext.Support.Snapshot;
import java.util.ArrayList;
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
 * takeAlongAxis (with broadcasting of every dimension but the axis), take and put (flat indices,
 * negative ones counting from the end) against {@link Reference}.
 */
class FlatOpsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * Off the axis, each dimension is drawn as one of: equal sizes, input 1 against index n, or
     * input n against index 1, so most cases broadcast in some dimension.
     */
    @ParameterizedTest(name = "rank {0}, axis {1}, {2}, index {3}")
    @MethodSource("io.djlgather.ext.Support#axisCases")
    void takeAlongAxis(int rank, int axis, DataType type, DataType indexType) {
        Random r = Support.random("takeAlongAxis", rank, axis, type, indexType);
        int ax = Math.floorMod(axis, rank);
        long[] inShape = new long[rank];
        long[] idxShape = new long[rank];
        for (int d = 0; d < rank; d++) {
            long n = 2 + r.nextInt(3);
            if (d == ax) {
                inShape[d] = 1 + r.nextInt(4);
                idxShape[d] = 1 + r.nextInt(5);
                continue;
            }
            switch (r.nextInt(3)) {
                case 0:
                    inShape[d] = n;
                    idxShape[d] = n;
                    break;
                case 1:
                    inShape[d] = 1;
                    idxShape[d] = n;
                    break;
                default:
                    inShape[d] = n;
                    idxShape[d] = 1;
                    break;
            }
        }
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, 0, inShape[ax], idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, iNd);
            NDArray out = GatherOps.takeAlongAxis(xNd, iNd, axis);
            String ctx = "takeAlongAxis(axis " + axis + ") input " + x + " index " + idx;
            Support.assertResult(Reference.takeAlongAxis(x, idx, axis), out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    /** The broadcast shape rule spelled out: input [3,1,4], index [1,5,2], axis 2 -> [3,5,2]. */
    @Test
    void takeAlongAxisBroadcastsBothWays() {
        Random r = Support.random("takeAlongAxisBroadcast");
        Dense x = Support.data(r, DataType.FLOAT64, 3, 1, 4);
        Dense idx = Support.index(r, 0, 4, 1, 5, 2);
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, DataType.FLOAT64);
            NDArray iNd = idx.toNd(m, DataType.INT64);
            NDArray out = GatherOps.takeAlongAxis(xNd, iNd, -1);
            assertArrayEquals(new long[] {3, 5, 2}, out.getShape().getShape());
            Dense expected = Dense.zeros(3, 5, 2);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    for (int k = 0; k < 2; k++) {
                        expected.set(new int[] {i, j, k}, x.get(i, 0, (int) idx.get(0, j, k)));
                    }
                }
            }
            Support.assertResult(expected, out, xNd, "takeAlongAxis broadcast");
        }
    }

    /** take: input of rank 1-4, index of rank 0-3 with values in [-numel, numel) and duplicates. */
    @ParameterizedTest(name = "rank {0}, {1}, index {2}")
    @MethodSource("io.djlgather.ext.Support#rankCases")
    void take(int rank, DataType type, DataType indexType) {
        Random r = Support.random("take", rank, type, indexType);
        long[] inShape = Support.shape(r, rank, 1, 4);
        long numel = Reference.numel(inShape);
        Dense x = Support.data(r, type, inShape);
        Dense idx = Support.index(r, -numel, numel, Support.shape(r, r.nextInt(4), 1, 4));
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray iNd = idx.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, iNd);
            NDArray out = GatherOps.take(xNd, iNd);
            String ctx = "take input " + x + " index " + idx;
            Support.assertResult(Reference.take(x, idx), out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    static Stream<Arguments> putCases() {
        List<Arguments> cases = new ArrayList<>();
        Support.rankCases().forEach(a -> {
            Object[] p = a.get();
            cases.add(Arguments.of(p[0], p[1], p[2], false));
            cases.add(Arguments.of(p[0], p[1], p[2], true));
        });
        return cases.stream();
    }

    /**
     * put: with accumulate=false the flat positions (after wrapping negatives) are distinct, as
     * torch leaves duplicates undefined; with accumulate=true duplicates are drawn on purpose.
     */
    @ParameterizedTest(name = "rank {0}, {1}, index {2}, accumulate {3}")
    @MethodSource("putCases")
    void put(int rank, DataType type, DataType indexType, boolean accumulate) {
        Random r = Support.random("put", rank, type, indexType, accumulate);
        long[] inShape = Support.shape(r, rank, 1, 4);
        int numel = (int) Reference.numel(inShape);
        Dense x = Support.data(r, type, inShape);
        Dense idx;
        if (accumulate) {
            long[] idxShape = Support.shape(r, 1 + r.nextInt(2), 1, 4);
            idxShape[0] = Math.max(idxShape[0], 2);
            idx = Support.index(r, -numel, numel, idxShape);
            idx.data[idx.size() - 1] = idx.data[0]; // at least one duplicate
        } else {
            int n = 1 + r.nextInt(numel);
            int[] positions = Support.permutation(r, numel);
            idx = Dense.zeros(n);
            for (int k = 0; k < n; k++) {
                idx.data[k] = r.nextBoolean() ? positions[k] : positions[k] - numel;
            }
        }
        Dense src = Support.data(r, type, idx.shape);
        Support.checkSrcOp(manager, "put(accumulate " + accumulate + ")",
                Reference.put(x, idx, src, accumulate), x, idx, src, type, indexType,
                (a, i, v) -> GatherOps.put(a, i, v, accumulate));
    }
}
