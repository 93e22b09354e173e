package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.djlgather.ext.Reference.Dense;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of every floating-point {@link GroupOps} op in float64, through DJL's
 * GradientCollector, for the loss {@code sum(op(src) * weights)}, against central finite
 * differences of the same loss computed through {@link GroupReference}. src values are pairwise
 * distinct and away from zero (no ties for the extremes, no zero for PROD).
 */
class GroupOpsGradientTest {

    private static final double EPS = 1e-6;
    private static final DataType F64 = DataType.FLOAT64;
    private static final long[] SHAPE = {3, 4, 2};

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A named op: the DJL call on src, and the reference on src's values. */
    private static Arguments op(String name, Function<NDArray, NDArray> call,
            Function<Dense, Dense> reference) {
        return Arguments.of(name, call, reference);
    }

    static Stream<Arguments> ops() {
        Random r = Support.random("group gradient index");
        List<Arguments> cases = new ArrayList<>();
        for (int axis : new int[] {0, 1, -1}) {
            int ax = Math.floorMod(axis, SHAPE.length);
            Dense full = Support.index(r, 0, 3, SHAPE);
            Dense vector = Support.index(r, 0, 3, SHAPE[ax]);
            for (Dense index : new Dense[] {full, vector}) {
                String how = " axis " + axis + (index == vector ? " 1-D index" : "");
                Dense ids = GroupReference.groupIds(SHAPE, index, axis);
                for (Reduction reduce : Reduction.values()) {
                    cases.add(op("scatter " + reduce + how,
                            s -> GroupOps.scatter(s, index.toNd(s.getManager(), DataType.INT64), axis, 4, reduce),
                            d -> GroupReference.scatter(d, ids, axis, 4, reduce, false)));
                }
                cases.add(op("scatterMax" + how,
                        s -> GroupOps.scatterMax(s, index.toNd(s.getManager(), DataType.INT64), axis, 4).values(),
                        d -> GroupReference.scatterArg(d, ids, axis, 4, true)[0]));
                cases.add(op("scatterMin" + how,
                        s -> GroupOps.scatterMin(s, index.toNd(s.getManager(), DataType.INT32), axis, 4).values(),
                        d -> GroupReference.scatterArg(d, ids, axis, 4, false)[0]));
                cases.add(op("scatterSoftmax" + how,
                        s -> GroupOps.scatterSoftmax(s, index.toNd(s.getManager(), DataType.INT64), axis),
                        d -> GroupReference.softmax(d, ids, axis, false)));
                cases.add(op("scatterLogSoftmax" + how,
                        s -> GroupOps.scatterLogSoftmax(s, index.toNd(s.getManager(), DataType.INT64), axis),
                        d -> GroupReference.softmax(d, ids, axis, true)));
                cases.add(op("scatterLogSumExp" + how,
                        s -> GroupOps.scatterLogSumExp(s, index.toNd(s.getManager(), DataType.INT64), axis, 3),
                        d -> replaceInfinities(GroupReference.logSumExp(d, ids, axis, 3))));
            }
        }
        // segments along axis 0 (1-D indptr) and axis 1 (2-D indptr, one row per src row)
        Dense ptr1 = Dense.of(new long[] {4}, 0, 1, 1, 3);                  // segments [0,1) [1,1) [1,3)
        Dense ptr2 = Dense.of(new long[] {3, 3}, 0, 2, 4, 1, 1, 3, 0, 4, 4);
        Dense sorted1 = Dense.of(new long[] {3}, 0, 0, 2);
        Dense sorted2 = Dense.of(new long[] {3, 4}, 0, 0, 1, 1, 1, 2, 2, 2, 0, 1, 2, 3);
        for (Reduction reduce : Reduction.values()) {
            cases.add(op("segmentCsr 1-D " + reduce,
                    s -> GroupOps.segmentCsr(s, ptr1.toNd(s.getManager(), DataType.INT64), reduce),
                    d -> GroupReference.segmentCsr(d, ptr1, reduce, false)));
            cases.add(op("segmentCsr 2-D " + reduce,
                    s -> GroupOps.segmentCsr(s, ptr2.toNd(s.getManager(), DataType.INT32), reduce),
                    d -> GroupReference.segmentCsr(d, ptr2, reduce, false)));
            cases.add(op("segmentCoo 1-D " + reduce,
                    s -> GroupOps.segmentCoo(s, sorted1.toNd(s.getManager(), DataType.INT64), 4, reduce),
                    d -> GroupReference.scatter(d, GroupReference.cooIds(SHAPE, sorted1), 0, 4, reduce, false)));
            cases.add(op("segmentCoo 2-D " + reduce,
                    s -> GroupOps.segmentCoo(s, sorted2.toNd(s.getManager(), DataType.INT64), -1, reduce),
                    d -> GroupReference.scatter(d, GroupReference.cooIds(SHAPE, sorted2), 1, 4, reduce, false)));
        }
        // the inverses: src [3, 4, 2] read as 4 segments along axis 1 (indptr rows of 5 offsets)
        Dense ptrGather = Dense.of(new long[] {1, 5}, 0, 2, 2, 5, 6);
        Dense index = Dense.of(new long[] {3, 5}, 0, 0, 3, 3, 1, 2, 2, 2, 0, 0, 1, 1, 3, 3, 3);
        cases.add(op("gatherCsr",
                s -> GroupOps.gatherCsr(s, ptrGather.toNd(s.getManager(), DataType.INT64)),
                d -> GroupReference.gatherCsr(d, ptrGather)));
        cases.add(op("gatherCoo",
                s -> GroupOps.gatherCoo(s, index.toNd(s.getManager(), DataType.INT64)),
                d -> GroupReference.gatherCoo(d, index)));
        return cases.stream();
    }

    /** Empty groups' -inf: a constant, read as 0 so that the loss stays finite. */
    private static Dense replaceInfinities(Dense d) {
        Dense out = d.copy();
        for (int i = 0; i < out.size(); i++) {
            if (Double.isInfinite(out.data[i])) {
                out.data[i] = 0;
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientMatchesFiniteDifferences(String name, Function<NDArray, NDArray> call,
            Function<Dense, Dense> reference) {
        Random r = Support.random("group gradient", name);
        Dense src = Support.distinct(r, SHAPE)[0];
        Dense out = reference.apply(src);
        Dense weights = Dense.zeros(out.shape);
        for (int i = 0; i < weights.size(); i++) {
            weights.data[i] = r.nextDouble() * 2 - 1;
        }
        Dense grad;
        try (NDManager m = manager.newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray s = src.toNd(m, F64);
            s.setRequiresGradient(true);
            NDArray y = call.apply(s);
            // empty groups' -inf (logSumExp) are constants: left out of the loss
            NDArray finite = NDArrays.where(y.isInfinite(), y.zerosLike(), y);
            NDArray loss = finite.mul(weights.toNd(m, F64)).sum();
            gc.backward(loss);
            grad = Dense.of(s.getGradient());
        }
        assertArrayEquals(src.shape, grad.shape, name + ": gradient shape");
        for (int j = 0; j < src.size(); j++) {
            Dense plus = src.copy();
            Dense minus = src.copy();
            plus.data[j] += EPS;
            minus.data[j] -= EPS;
            double numeric = (dot(weights, reference.apply(plus)) - dot(weights, reference.apply(minus)))
                    / (2 * EPS);
            double got = grad.data[j];
            if (!(Math.abs(got - numeric) <= 1e-6 * (1 + Math.abs(numeric)))) {
                fail(name + ": d loss / d src at " + Arrays.toString(src.position(j))
                        + ": finite difference " + numeric + ", gradient " + got + "\n  src " + src
                        + "\n  gradient " + grad);
            }
        }
    }

    /**
     * Tied extremes, where finite differences do not apply: scatter AMAX and segmentCsr AMAX
     * share the gradient evenly between the tied elements (as torch.scatter_reduce and
     * torch.segment_reduce do), scatterMax gives all of it to the element at arg (the lowest
     * position, as pytorch_scatter's scatter_max).
     */
    @Test
    void tiedExtremes() {
        double[] values = {1, 3, 3, 2, 5};
        long[] group = {0, 0, 0, 1, 1};
        double[][] expected = {{0, 0.5, 0.5, 0, 1}, {0, 0.5, 0.5, 0, 1}, {0, 1, 0, 0, 1}};
        for (int k = 0; k < 3; k++) {
            try (NDManager m = manager.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray s = m.create(values);
                s.setRequiresGradient(true);
                NDArray ids = m.create(group);
                NDArray y = k == 0 ? GroupOps.scatter(s, ids, 0, 2, Reduction.AMAX)
                        : k == 1 ? GroupOps.segmentCsr(s, m.create(new long[] {0, 3, 5}), Reduction.AMAX)
                        : GroupOps.scatterMax(s, ids, 0, 2).values();
                gc.backward(y.sum());
                assertArrayEquals(expected[k], s.getGradient().toDoubleArray(), 1e-12,
                        new String[] {"scatter AMAX", "segmentCsr AMAX", "scatterMax"}[k]);
            }
        }
    }

    private static double dot(Dense a, Dense b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            if (!Double.isInfinite(b.data[i])) {
                sum += a.data[i] * b.data[i];
            }
        }
        return sum;
    }
}
