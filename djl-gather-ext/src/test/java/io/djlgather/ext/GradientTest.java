package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients in float64 through DJL's GradientCollector, for the scalar loss
 * {@code sum(op(...) * weights)}, against central finite differences of the same loss computed
 * through {@link Reference}: with respect to input, and to src where the op has one.
 */
class GradientTest {

    private static final double EPS = 1e-6;
    private static final DataType F64 = DataType.FLOAT64;

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The weights of the loss and the gradients DJL computed, one per differentiated argument. */
    static final class Gradients {
        final Dense weights;
        final Dense[] grads;

        Gradients(Dense weights, Dense[] grads) {
            this.weights = weights;
            this.grads = grads;
        }
    }

    /**
     * Differentiates {@code op} with respect to each of {@code args} (float64) and compares with
     * central differences of {@code reference}; returns what DJL computed.
     */
    static Gradients check(NDManager m, Random r, String context, Dense[] args,
            Function<NDArray[], NDArray> op, Function<Dense[], Dense> reference) {
        Dense expectedOut = reference.apply(args);
        Dense weights = Dense.zeros(expectedOut.shape);
        for (int i = 0; i < weights.size(); i++) {
            weights.data[i] = r.nextDouble() * 2 - 1;
        }
        Dense[] grads = new Dense[args.length];
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray[] nd = new NDArray[args.length];
            for (int k = 0; k < args.length; k++) {
                nd[k] = args[k].toNd(m, F64);
                nd[k].setRequiresGradient(true);
            }
            NDArray y = op.apply(nd);
            Support.assertValues(expectedOut, y, F64, context + ": forward");
            NDArray loss = y.mul(weights.toNd(m, F64)).sum();
            gc.backward(loss);
            for (int k = 0; k < args.length; k++) {
                grads[k] = Dense.of(nd[k].getGradient());
            }
        }
        for (int k = 0; k < args.length; k++) {
            assertArrayEquals(args[k].shape, grads[k].shape, context + ": gradient shape of argument " + k);
            for (int j = 0; j < args[k].size(); j++) {
                Dense[] plus = copies(args);
                Dense[] minus = copies(args);
                plus[k].data[j] += EPS;
                minus[k].data[j] -= EPS;
                double lossPlus = dot(weights, reference.apply(plus));
                double lossMinus = dot(weights, reference.apply(minus));
                double numeric = (lossPlus - lossMinus) / (2 * EPS);
                double got = grads[k].data[j];
                double tolerance = 1e-6 * (1 + Math.abs(numeric)) + 1e-9 * Math.abs(lossPlus);
                if (!(Math.abs(got - numeric) <= tolerance)) {
                    fail(context + ": d loss / d argument " + k + " at "
                            + Arrays.toString(args[k].position(j)) + ": finite difference "
                            + numeric + ", gradient " + got + "\n  arguments " + Arrays.toString(args)
                            + "\n  weights " + weights + "\n  gradient " + grads[k]);
                }
            }
        }
        return new Gradients(weights, grads);
    }

    private static Dense[] copies(Dense[] args) {
        Dense[] out = new Dense[args.length];
        for (int k = 0; k < args.length; k++) {
            out[k] = args[k].copy();
        }
        return out;
    }

    private static double dot(Dense a, Dense b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.data[i] * b.data[i];
        }
        return sum;
    }

    private static long[] withSize(long[] shape, int ax, long n) {
        long[] s = shape.clone();
        s[ax] = n;
        return s;
    }

    private static final long[] SHAPE = {3, 4, 2};

    // ---------------------------------------------------------------------------------------
    // gather / scatter family

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void gather(int axis) {
        Random r = Support.random("grad gather", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        Dense x = Support.data(r, F64, SHAPE);
        Dense idx = Support.index(r, 0, SHAPE[ax], withSize(SHAPE, ax, SHAPE[ax] + 2));
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            Gradients g = check(m, r, "gather axis " + axis, new Dense[] {x},
                    a -> GatherOps.gather(a[0], axis, iNd),
                    d -> Reference.gather(d[0], axis, idx));
            // Duality: the gradient of gather is a scatter-add of the output gradient (the weights).
            Dense dual = Reference.scatterAdd(Dense.zeros(SHAPE), axis, idx, g.weights);
            Support.assertValues(dual, g.grads[0].toNd(m, F64), F64, "gather gradient = scatterAdd (Reference)");
            NDArray viaOps = GatherOps.scatterAdd(
                    m.zeros(new Shape(SHAPE), F64), axis, iNd, g.weights.toNd(m, F64));
            Support.assertValues(g.grads[0], viaOps, F64, "gather gradient = GatherOps.scatterAdd");
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void scatter(int axis) {
        Random r = Support.random("grad scatter", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long[] idxShape = withSize(SHAPE, ax, SHAPE[ax] - 1);
        idxShape[(ax + 1) % SHAPE.length] -= 1; // leave some fibers untouched
        Dense x = Support.data(r, F64, SHAPE);
        Dense src = Support.data(r, F64, idxShape);
        Dense idx = Support.uniqueAlong(r, ax, SHAPE[ax], idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "scatter axis " + axis, new Dense[] {x, src},
                    a -> GatherOps.scatter(a[0], axis, iNd, a[1]),
                    d -> Reference.scatter(d[0], axis, idx, d[1]));
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void scatterAdd(int axis) {
        Random r = Support.random("grad scatterAdd", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long[] idxShape = withSize(SHAPE, ax, SHAPE[ax] + 2);
        Dense x = Support.data(r, F64, SHAPE);
        Dense src = Support.data(r, F64, idxShape);
        Dense idx = Support.index(r, 0, SHAPE[ax], idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT32);
            check(m, r, "scatterAdd axis " + axis, new Dense[] {x, src},
                    a -> GatherOps.scatterAdd(a[0], axis, iNd, a[1]),
                    d -> Reference.scatterAdd(d[0], axis, idx, d[1]));
        }
    }

    static Stream<Arguments> scatterReduceCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Reduction reduce : Reduction.values()) {
            for (boolean includeSelf : new boolean[] {true, false}) {
                for (int axis : new int[] {0, -1}) {
                    cases.add(Arguments.of(reduce, includeSelf, axis));
                }
            }
        }
        return cases.stream();
    }

    /** Distinct values (no amax/amin ties) without zeros (prod); duplicates in the index. */
    @ParameterizedTest(name = "{0}, includeSelf {1}, axis {2}")
    @MethodSource("scatterReduceCases")
    void scatterReduce(Reduction reduce, boolean includeSelf, int axis) {
        Random r = Support.random("grad scatterReduce", reduce, includeSelf, axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long[] idxShape = withSize(SHAPE, ax, SHAPE[ax] + 1);
        Dense[] values = Support.distinct(r, SHAPE, idxShape);
        Dense idx = Support.index(r, 0, SHAPE[ax], idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "scatterReduce " + reduce + " includeSelf " + includeSelf + " axis " + axis
                            + " index " + idx, values,
                    a -> GatherOps.scatterReduce(a[0], axis, iNd, a[1], reduce, includeSelf),
                    d -> Reference.scatterReduce(d[0], axis, idx, d[1], reduce, includeSelf, false));
        }
    }

    // ---------------------------------------------------------------------------------------
    // index family

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void indexSelect(int axis) {
        Random r = Support.random("grad indexSelect", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        Dense x = Support.data(r, F64, SHAPE);
        Dense idx = Support.index(r, 0, SHAPE[ax], SHAPE[ax] + 2);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "indexSelect axis " + axis, new Dense[] {x},
                    a -> GatherOps.indexSelect(a[0], axis, iNd),
                    d -> Reference.indexSelect(d[0], axis, idx));
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void indexAdd(int axis) {
        Random r = Support.random("grad indexAdd", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long n = SHAPE[ax] + 2;
        Dense x = Support.data(r, F64, SHAPE);
        Dense src = Support.data(r, F64, withSize(SHAPE, ax, n));
        Dense idx = Support.index(r, 0, SHAPE[ax], n);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "indexAdd axis " + axis, new Dense[] {x, src},
                    a -> GatherOps.indexAdd(a[0], axis, iNd, a[1]),
                    d -> Reference.indexAdd(d[0], axis, idx, d[1], 1));
            check(m, r, "indexAdd alpha -2.5 axis " + axis, new Dense[] {x, src},
                    a -> GatherOps.indexAdd(a[0], axis, iNd, a[1], -2.5),
                    d -> Reference.indexAdd(d[0], axis, idx, d[1], -2.5));
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void indexCopy(int axis) {
        Random r = Support.random("grad indexCopy", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long n = SHAPE[ax] - 1;
        Dense x = Support.data(r, F64, SHAPE);
        Dense src = Support.data(r, F64, withSize(SHAPE, ax, n));
        Dense idx = Support.uniqueAlong(r, 0, SHAPE[ax], n);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT32);
            check(m, r, "indexCopy axis " + axis, new Dense[] {x, src},
                    a -> GatherOps.indexCopy(a[0], axis, iNd, a[1]),
                    d -> Reference.indexCopy(d[0], axis, idx, d[1]));
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void indexFill(int axis) {
        Random r = Support.random("grad indexFill", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        Dense x = Support.data(r, F64, SHAPE);
        Dense idx = Dense.of(new long[] {2}, -1, 0); // the last slice and the first
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "indexFill axis " + axis, new Dense[] {x},
                    a -> GatherOps.indexFill(a[0], axis, iNd, 0.5),
                    d -> Reference.indexFill(d[0], axis, idx, 0.5));
        }
    }

    static Stream<Arguments> indexReduceCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Reduction reduce : new Reduction[] {Reduction.PROD, Reduction.MEAN, Reduction.AMAX, Reduction.AMIN}) {
            for (boolean includeSelf : new boolean[] {true, false}) {
                for (int axis : new int[] {0, -1}) {
                    cases.add(Arguments.of(reduce, includeSelf, axis));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, includeSelf {1}, axis {2}")
    @MethodSource("indexReduceCases")
    void indexReduce(Reduction reduce, boolean includeSelf, int axis) {
        Random r = Support.random("grad indexReduce", reduce, includeSelf, axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long n = SHAPE[ax] + 1;
        long[] srcShape = withSize(SHAPE, ax, n);
        Dense[] values = Support.distinct(r, SHAPE, srcShape);
        // Slice 0 receives two entries, the last slice none; the rest is random.
        Dense idx = Support.index(r, 0, SHAPE[ax] - 1, n);
        idx.data[0] = 0;
        idx.data[1] = 0;
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "indexReduce " + reduce + " includeSelf " + includeSelf + " axis " + axis
                            + " index " + idx, values,
                    a -> GatherOps.indexReduce(a[0], axis, iNd, a[1], reduce, includeSelf),
                    d -> Reference.indexReduce(d[0], axis, idx, d[1], reduce, includeSelf, false));
        }
    }

    // ---------------------------------------------------------------------------------------
    // takeAlongAxis, take, put

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void takeAlongAxis(int axis) {
        Random r = Support.random("grad takeAlongAxis", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        // input broadcasts on one dimension off the axis, index on another (when there is one).
        long[] inShape = SHAPE.clone();
        long[] idxShape = SHAPE.clone();
        idxShape[ax] = 5;
        inShape[(ax + 1) % 3] = 1;
        idxShape[(ax + 2) % 3] = 1;
        Dense x = Support.data(r, F64, inShape);
        Dense idx = Support.index(r, 0, inShape[ax], idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "takeAlongAxis axis " + axis, new Dense[] {x},
                    a -> GatherOps.takeAlongAxis(a[0], iNd, axis),
                    d -> Reference.takeAlongAxis(d[0], idx, axis));
        }
    }

    @Test
    void take() {
        Random r = Support.random("grad take");
        Dense x = Support.data(r, F64, SHAPE);
        Dense idx = Support.index(r, -24, 24, 4, 5);
        idx.data[19] = idx.data[0] - 24 * Math.signum(idx.data[0] + 0.5); // the same element twice, once negative
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "take index " + idx, new Dense[] {x},
                    a -> GatherOps.take(a[0], iNd),
                    d -> Reference.take(d[0], idx));
        }
    }

    @ParameterizedTest(name = "accumulate {0}")
    @ValueSource(booleans = {false, true})
    void put(boolean accumulate) {
        Random r = Support.random("grad put", accumulate);
        Dense x = Support.data(r, F64, SHAPE);
        Dense idx;
        if (accumulate) {
            idx = Support.index(r, -24, 24, 3, 4);
            idx.data[11] = idx.data[0];
        } else {
            int[] positions = Support.permutation(r, 24);
            idx = Dense.zeros(3, 4);
            for (int k = 0; k < 12; k++) {
                idx.data[k] = k % 2 == 0 ? positions[k] : positions[k] - 24;
            }
        }
        Dense src = Support.data(r, F64, 3, 4);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            check(m, r, "put accumulate " + accumulate + " index " + idx, new Dense[] {x, src},
                    a -> GatherOps.put(a[0], iNd, a[1], accumulate),
                    d -> Reference.put(d[0], idx, d[1], accumulate));
        }
    }
}
