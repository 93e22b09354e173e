package io.djlgather.cuda;

import static io.djlgather.cuda.Fixtures.assertBitIdentical;
import static io.djlgather.cuda.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.Reduction;
import io.djlgather.ext.spi.OpLibraryMethods;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

/**
 * Deterministic sums on CPU arrays, through the CUDA runtime installed for the CPU: bit-identical
 * over repeated runs and across 1 and 2 intra-op threads, equal in value to the plain ops and to
 * a naive double-precision loop. Duplicate-heavy float32 data: 8192 source rows on 8 targets.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class DeterministicSumsTest {

    private static final int ROWS = 8;
    private static final int COLS = 6;
    private static final int SRC_ROWS = 8192;
    private static final double FLOAT_TOL = 1e-6;

    private static Fixtures.CpuRuntime cpu;
    private static int threads;

    @BeforeAll
    static void install() {
        Engine.getInstance(); // loads libtorch, whose thread settings the tests change
        cpu = new Fixtures.CpuRuntime();
        threads = JniUtils.getNumThreads();
    }

    @AfterAll
    static void uninstall() throws Exception {
        JniUtils.setNumThreads(threads);
        cpu.close();
    }

    /** One sum op, with its op-library method and its expected values. */
    enum Case {
        SCATTER_ADD_AXIS0("scatter_add_det", 0, null, false),
        SCATTER_ADD_AXIS1("scatter_add_det", 1, null, false),
        SCATTER_SUM_WITH_SELF("scatter_reduce_det", 0, Reduction.SUM, true),
        SCATTER_SUM_WITHOUT_SELF("scatter_reduce_det", 0, Reduction.SUM, false),
        SCATTER_MEAN_WITH_SELF("scatter_reduce_det", 0, Reduction.MEAN, true),
        SCATTER_MEAN_WITHOUT_SELF("scatter_reduce_det", 1, Reduction.MEAN, false),
        INDEX_ADD("index_add_det_f", 0, null, false),
        INDEX_ADD_ALPHA("index_add_det_f", 1, null, false);

        final String method;
        final int axis;
        final Reduction reduce;
        final boolean includeSelf;

        Case(String method, int axis, Reduction reduce, boolean includeSelf) {
            this.method = method;
            this.axis = axis;
            this.reduce = reduce;
            this.includeSelf = includeSelf;
        }

        boolean indexAdd() {
            return method.startsWith("index_add");
        }

        double alpha() {
            return this == INDEX_ADD_ALPHA ? 0.5 : 1.0;
        }

        /** input [8,6] (axis 0) or [6,8] (axis 1). */
        Shape inputShape() {
            return axis == 0 ? new Shape(ROWS, COLS) : new Shape(COLS, ROWS);
        }

        /** src [8192,6] (axis 0) or [6,8192] (axis 1). */
        Shape srcShape() {
            return axis == 0 ? new Shape(SRC_ROWS, COLS) : new Shape(COLS, SRC_ROWS);
        }

        /** scatter: the index has src's shape; index ops: a vector of SRC_ROWS positions. */
        Shape indexShape() {
            return indexAdd() ? new Shape(SRC_ROWS) : srcShape();
        }

        NDArray run(NDManager m, NDArray input, NDArray index, NDArray src) {
            if (indexAdd()) {
                return this == INDEX_ADD
                        ? GatherOps.indexAdd(input, axis, index, src)
                        : GatherOps.indexAdd(input, axis, index, src, alpha());
            }
            return reduce == null
                    ? GatherOps.scatterAdd(input, axis, index, src)
                    : GatherOps.scatterReduce(input, axis, index, src, reduce, includeSelf);
        }

        NDArray direct(NDManager m, NDArray input, NDArray index, NDArray src) {
            OpLibraryMethods library = OpLibraryMethods.forDevice(input.getDevice());
            if (indexAdd()) {
                return library.run(method, m, input, axis, index, src, alpha());
            }
            return reduce == null
                    ? library.run(method, m, input, axis, index, src)
                    : library.run(method, m, input, axis, index, src, reduce.torchName(),
                            includeSelf);
        }
    }

    /** Data of one case: input, index and src values. */
    private static final class Data {
        final float[] input;
        final long[] index;
        final float[] src;
        final Case c;

        Data(Case c) {
            this.c = c;
            input = Fixtures.randomFloats(1, ROWS * COLS);
            src = Fixtures.randomFloats(2, SRC_ROWS * COLS);
            index = Fixtures.hotIndices(3, (int) c.indexShape().size(), ROWS);
        }

        NDArray[] arrays(NDManager m) {
            return new NDArray[] {
                m.create(input, c.inputShape()),
                m.create(index, c.indexShape()),
                m.create(src, c.srcShape())
            };
        }

        float[] run(boolean deterministic) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu());
                    CudaPolicies.Scope det = CudaPolicies.deterministic(deterministic)) {
                NDArray[] a = arrays(m);
                float[] out = c.run(m, a[0], a[1], a[2]).toFloatArray();
                assertArrayEquals(input, a[0].toFloatArray(), "input must not be modified");
                return out;
            }
        }

        /** The naive double-precision result, and the magnitude scale of its rounding error. */
        double[][] naive() {
            long[] scatterIndex = index;
            float[] source = src;
            if (c.indexAdd()) {
                // index_add as a scatter: the index broadcast along the other axis, src scaled
                scatterIndex = new long[src.length];
                source = new float[src.length];
                for (int i = 0; i < src.length; i++) {
                    int slice = c.axis == 0 ? i / COLS : i % SRC_ROWS;
                    scatterIndex[i] = index[slice];
                    source[i] = (float) (src[i] * c.alpha());
                }
            }
            long rows = c.inputShape().get(0);
            long cols = c.inputShape().get(1);
            long srcCols = c.srcShape().get(1);
            double[][] s = Fixtures.naiveScatter(
                    input, rows, cols, scatterIndex, srcCols, source, srcCols, c.axis);
            double[] out = new double[input.length];
            for (int p = 0; p < out.length; p++) {
                double sum = s[0][p];
                double count = s[1][p];
                boolean self = c.reduce == null || c.includeSelf;
                if (count == 0) {
                    out[p] = input[p];
                } else if (c.reduce == Reduction.MEAN) {
                    out[p] = (sum + (self ? input[p] : 0)) / (count + (self ? 1 : 0));
                } else {
                    out[p] = sum + (self ? input[p] : 0);
                }
            }
            return new double[][] {out, s[2]};
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void bitIdenticalOverTwentyRuns(Case c) {
        Data data = new Data(c);
        float[] first = data.run(true);
        for (int run = 1; run < 20; run++) {
            assertBitIdentical(first, data.run(true), c + " run " + run);
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void bitIdenticalAcrossOneAndTwoThreads(Case c) {
        Data data = new Data(c);
        try {
            JniUtils.setNumThreads(1);
            assertEquals(1, JniUtils.getNumThreads());
            float[] one = data.run(true);
            JniUtils.setNumThreads(2);
            assertEquals(2, JniUtils.getNumThreads());
            float[] two = data.run(true);
            assertBitIdentical(one, two, c + " 1 vs 2 threads");
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void equalsThePlainOpAndANaiveLoop(Case c) {
        Data data = new Data(c);
        float[] det = data.run(true);
        float[] plain = data.run(false);
        double[][] naive = data.naive();
        assertClose(naive[0], det, naive[1], FLOAT_TOL, c + " det vs naive");
        assertClose(naive[0], plain, naive[1], FLOAT_TOL, c + " plain vs naive");
        double[] plainAsDouble = new double[plain.length];
        for (int i = 0; i < plain.length; i++) {
            plainAsDouble[i] = plain[i];
        }
        assertClose(plainAsDouble, det, naive[1], FLOAT_TOL, c + " det vs plain");
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void theOpRunsTheDeterministicMethod(Case c) {
        Data data = new Data(c);
        float[] viaOps = data.run(true);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] a = data.arrays(m);
            assertBitIdentical(c.direct(m, a[0], a[1], a[2]).toFloatArray(), viaOps, c.toString());
        }
    }
}
