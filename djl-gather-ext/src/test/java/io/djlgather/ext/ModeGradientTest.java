package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.GradientTest.Gradients;
import io.djlgather.ext.Reference.Dense;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients under CLIP, DROP and FILL in float64 through DJL's GradientCollector, against
 * central finite differences of {@link ModeReference} (GradientTest's check): a clipped read or
 * write differentiates as at the clamped position, a filled element gives input no gradient, a
 * dropped update gives src none. Every index here mixes valid and out-of-range values.
 */
class ModeGradientTest {

    private static final DataType F64 = DataType.FLOAT64;
    private static final long[] SHAPE = {3, 4, 2};
    private static final IndexMode FILL = IndexMode.fill(-2.5);

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static long[] withSize(long[] shape, int ax, long n) {
        long[] s = shape.clone();
        s[ax] = n;
        return s;
    }

    /** Index values in [-2, n + 2), with at least one out of range at each end. */
    private static Dense wild(Random r, long n, long... shape) {
        Dense idx = Support.index(r, -2, n + 2, shape);
        idx.data[0] = -1;
        idx.data[idx.size() - 1] = n;
        return idx;
    }

    private static boolean isZero(Dense d, int i) {
        return d.data[i] == 0;
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void gatherClipAndFill(int axis) {
        Random r = Support.random("mode grad gather", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long n = SHAPE[ax];
        Dense x = Support.data(r, F64, SHAPE);
        Dense idx = wild(r, n, withSize(SHAPE, ax, n + 2));
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT64);
            GradientTest.check(m, r, "gather CLIP axis " + axis, new Dense[] {x},
                    a -> GatherOps.gather(a[0], axis, iNd, IndexMode.CLIP),
                    d -> Reference.gather(d[0], axis, ModeReference.clip(idx, n, false)));
            Gradients g = GradientTest.check(m, r, "gather FILL axis " + axis, new Dense[] {x},
                    a -> GatherOps.gather(a[0], axis, iNd, FILL),
                    d -> ModeReference.gatherFill(d[0], axis, idx, FILL.fillValue()));
            // the filled reads contribute nothing: the gradient is that of the valid reads alone
            Dense onlyValid = Dense.zeros(SHAPE);
            Reference.forEach(idx.shape, p -> {
                long v = ModeReference.valid(idx.get(p), n, false);
                if (v >= 0) {
                    int[] q = p.clone();
                    q[ax] = (int) v;
                    onlyValid.set(q, onlyValid.get(q) + g.weights.get(p));
                }
            });
            Support.assertValues(onlyValid, g.grads[0].toNd(m, F64), F64, "gather FILL gradient");
        }
    }

    @Test
    void takeAlongAxisIndexSelectTake() {
        Random r = Support.random("mode grad reads");
        Dense x = Support.data(r, F64, SHAPE);
        try (NDManager m = manager.newSubManager()) {
            Dense along = wild(r, 4, 3, 3, 1);
            NDArray aNd = along.toNd(m, DataType.INT32);
            GradientTest.check(m, r, "takeAlongAxis CLIP", new Dense[] {x},
                    a -> GatherOps.takeAlongAxis(a[0], aNd, 1, IndexMode.CLIP),
                    d -> Reference.takeAlongAxis(d[0], ModeReference.clip(along, 4, false), 1));
            GradientTest.check(m, r, "takeAlongAxis FILL", new Dense[] {x},
                    a -> GatherOps.takeAlongAxis(a[0], aNd, 1, FILL),
                    d -> ModeReference.takeAlongAxisFill(d[0], along, 1, FILL.fillValue()));
            Dense sel = Dense.of(new long[] {5}, 2, -1, 4, 0, 2);
            NDArray sNd = sel.toNd(m, DataType.INT64);
            GradientTest.check(m, r, "indexSelect CLIP", new Dense[] {x},
                    a -> GatherOps.indexSelect(a[0], 1, sNd, IndexMode.CLIP),
                    d -> Reference.indexSelect(d[0], 1, ModeReference.clip(sel, 4, false)));
            GradientTest.check(m, r, "indexSelect FILL", new Dense[] {x},
                    a -> GatherOps.indexSelect(a[0], 1, sNd, FILL),
                    d -> ModeReference.indexSelectFill(d[0], 1, sel, FILL.fillValue()));
            Dense flat = Dense.of(new long[] {2, 3}, 0, -1, -24, -25, 23, 24);
            NDArray fNd = flat.toNd(m, DataType.INT64);
            GradientTest.check(m, r, "take CLIP", new Dense[] {x},
                    a -> GatherOps.take(a[0], fNd, IndexMode.CLIP),
                    d -> Reference.take(d[0], ModeReference.clip(flat, 24, true)));
            GradientTest.check(m, r, "take FILL", new Dense[] {x},
                    a -> GatherOps.take(a[0], fNd, FILL),
                    d -> ModeReference.takeFill(d[0], flat, FILL.fillValue()));
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, -1})
    void scatterAddClipAndDrop(int axis) {
        Random r = Support.random("mode grad scatterAdd", axis);
        int ax = Math.floorMod(axis, SHAPE.length);
        long n = SHAPE[ax];
        long[] idxShape = withSize(SHAPE, ax, n + 2);
        Dense x = Support.data(r, F64, SHAPE);
        Dense src = Support.data(r, F64, idxShape);
        Dense idx = wild(r, n, idxShape);
        try (NDManager m = manager.newSubManager()) {
            NDArray iNd = idx.toNd(m, DataType.INT32);
            GradientTest.check(m, r, "scatterAdd CLIP axis " + axis, new Dense[] {x, src},
                    a -> GatherOps.scatterAdd(a[0], axis, iNd, a[1], IndexMode.CLIP),
                    d -> Reference.scatterAdd(d[0], axis, ModeReference.clip(idx, n, false), d[1]));
            Gradients g = GradientTest.check(m, r, "scatterAdd DROP axis " + axis,
                    new Dense[] {x, src},
                    a -> GatherOps.scatterAdd(a[0], axis, iNd, a[1], IndexMode.DROP),
                    d -> ModeReference.scatterAddDrop(d[0], axis, idx, d[1]));
            // a dropped src element has exactly zero gradient, a kept one (almost surely) not
            int dropped = 0;
            for (int i = 0; i < idx.size(); i++) {
                boolean drop = ModeReference.valid(idx.data[i], n, false) < 0;
                dropped += drop ? 1 : 0;
                assertEquals(drop, isZero(g.grads[1], i), "src gradient at " + i);
            }
            assertTrue(dropped > 0);
        }
    }

    @Test
    void otherWritesDrop() {
        Random r = Support.random("mode grad writes");
        try (NDManager m = manager.newSubManager()) {
            Dense x = Support.data(r, F64, SHAPE);
            // scatter: distinct kept positions per fiber along axis 1
            Dense sIdx = Dense.of(new long[] {3, 3, 2}, 0, 5, 1, 7, 2, 3, -1, 0, 3, 1, 2, -2,
                    2, 3, 0, 9, 1, 2);
            Dense sSrc = Support.data(r, F64, 3, 3, 2);
            NDArray sNd = sIdx.toNd(m, DataType.INT64);
            GradientTest.check(m, r, "scatter DROP", new Dense[] {x, sSrc},
                    a -> GatherOps.scatter(a[0], 1, sNd, a[1], IndexMode.DROP),
                    d -> ModeReference.scatterDrop(d[0], 1, sIdx, d[1], 0));
            // scatterReduce: distinct values, so that amax has no ties
            Dense[] distinct = Support.distinct(r, SHAPE, new long[] {3, 6, 2});
            Dense rIdx = wild(r, 4, 3, 6, 2);
            NDArray rNd = rIdx.toNd(m, DataType.INT64);
            for (Reduction reduce : new Reduction[] {Reduction.SUM, Reduction.MEAN, Reduction.AMAX,
                Reduction.PROD}) {
                GradientTest.check(m, r, "scatterReduce DROP " + reduce, distinct,
                        a -> GatherOps.scatterReduce(a[0], 1, rNd, a[1], reduce, true, IndexMode.DROP),
                        d -> ModeReference.scatterReduceDrop(d[0], 1, rIdx, d[1], reduce, true, false));
            }
            Dense iIdx = Dense.of(new long[] {5}, 3, 4, -1, 0, 3);
            NDArray iNd = iIdx.toNd(m, DataType.INT32);
            Dense iSrc = Support.data(r, F64, 3, 5, 2);
            GradientTest.check(m, r, "indexAdd DROP", new Dense[] {x, iSrc},
                    a -> GatherOps.indexAdd(a[0], 1, iNd, a[1], 2.0, IndexMode.DROP),
                    d -> ModeReference.indexWriteDrop(d[0], 1, iIdx, d[1], 2.0, false));
            GradientTest.check(m, r, "indexAdd CLIP", new Dense[] {x, iSrc},
                    a -> GatherOps.indexAdd(a[0], 1, iNd, a[1], IndexMode.CLIP),
                    d -> Reference.indexAdd(d[0], 1, ModeReference.clip(iIdx, 4, false), d[1], 1));
            Dense cIdx = Dense.of(new long[] {4}, 3, 7, 0, -1);
            NDArray cNd = cIdx.toNd(m, DataType.INT64);
            Dense cSrc = Support.data(r, F64, 3, 4, 2);
            GradientTest.check(m, r, "indexCopy DROP", new Dense[] {x, cSrc},
                    a -> GatherOps.indexCopy(a[0], 1, cNd, a[1], IndexMode.DROP),
                    d -> ModeReference.indexWriteDrop(d[0], 1, cIdx, d[1], 1, true));
            Dense pIdx = Dense.of(new long[] {2, 3}, 0, -1, 24, -25, 5, 30);
            NDArray pNd = pIdx.toNd(m, DataType.INT64);
            Dense pSrc = Support.data(r, F64, 2, 3);
            for (boolean accumulate : new boolean[] {true, false}) {
                GradientTest.check(m, r, "put DROP accumulate " + accumulate, new Dense[] {x, pSrc},
                        a -> GatherOps.put(a[0], pNd, a[1], accumulate, IndexMode.DROP),
                        d -> ModeReference.putDrop(d[0], pIdx, d[1], accumulate));
            }
        }
    }

    @ParameterizedTest(name = "batchDims {0}")
    @ValueSource(ints = {0, 1, 2})
    void gatherNd(int batchDims) {
        Random r = Support.random("mode grad gatherNd", batchDims);
        Dense x = Support.data(r, F64, SHAPE);
        long[] cShape = new long[batchDims + 2];
        System.arraycopy(SHAPE, 0, cShape, 0, batchDims);
        cShape[batchDims] = 5;
        cShape[batchDims + 1] = 3 - batchDims;
        Dense valid = Dense.zeros(cShape);
        Dense wild = Dense.zeros(cShape);
        int k = 3 - batchDims;
        for (int i = 0; i < valid.size(); i++) {
            long size = SHAPE[batchDims + i % k];
            valid.data[i] = r.nextInt((int) size); // duplicates likely: gradients add up
            wild.data[i] = -1 + r.nextInt((int) size + 2);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray vNd = valid.toNd(m, DataType.INT64);
            NDArray wNd = wild.toNd(m, DataType.INT32);
            GradientTest.check(m, r, "gatherNd ERROR", new Dense[] {x},
                    a -> GatherOps.gatherNd(a[0], vNd, batchDims),
                    d -> ModeReference.gatherNd(d[0], valid, batchDims, IndexMode.ERROR));
            GradientTest.check(m, r, "gatherNd CLIP", new Dense[] {x},
                    a -> GatherOps.gatherNd(a[0], wNd, batchDims, IndexMode.CLIP),
                    d -> ModeReference.gatherNd(d[0], wild, batchDims, IndexMode.CLIP));
            GradientTest.check(m, r, "gatherNd FILL", new Dense[] {x},
                    a -> GatherOps.gatherNd(a[0], wNd, batchDims, FILL),
                    d -> ModeReference.gatherNd(d[0], wild, batchDims, FILL));
        }
    }
}
