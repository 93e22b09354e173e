package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
 * {@link GatherOps#gatherNd} (TensorFlow's gather_nd layout) against {@link
 * ModeReference#gatherNd} for batchDims 0, 1, 2 and every number of coordinates, under ERROR,
 * CLIP and FILL; its messages; and DJL's own {@link NDArray#gatherNd}, which reads an aliased
 * element for an out-of-range coordinate (and rewrites its index argument) where ours raises.
 */
class GatherNdTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** batchDims 0-2, input rank batchDims+1 .. batchDims+3, crossed with data and index dtypes. */
    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int k = 0;
        for (int batchDims = 0; batchDims <= 2; batchDims++) {
            for (int rank = batchDims + 1; rank <= batchDims + 3; rank++) {
                for (DataType type : Support.DATA_TYPES) {
                    cases.add(Arguments.of(batchDims, rank, type, Support.INDEX_TYPES[k++ % 2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "batchDims {0}, input rank {1}, {2}, coords {3}")
    @MethodSource("cases")
    void againstReference(int batchDims, int rank, DataType type, DataType indexType) {
        Random r = Support.random("gatherNd", batchDims, rank, type, indexType);
        long[] inShape = Support.shape(r, rank, 1, 4);
        Dense x = Support.data(r, type, inShape);
        // every number of coordinates from 0 to all non-batch axes
        for (int k = 0; k <= rank - batchDims; k++) {
            int middle = r.nextInt(3); // extra point axes between the batch axes and coordinates
            long[] cShape = new long[batchDims + middle + 1];
            System.arraycopy(inShape, 0, cShape, 0, batchDims);
            for (int d = batchDims; d < batchDims + middle; d++) {
                cShape[d] = 1 + r.nextInt(3);
            }
            cShape[cShape.length - 1] = k;
            Dense valid = coords(r, inShape, batchDims, cShape, 0);
            Dense wild = coords(r, inShape, batchDims, cShape, 2);
            String ctx = "gatherNd batchDims " + batchDims + " k " + k + " input " + x;
            run(ctx + " ERROR coords " + valid, ModeReference.gatherNd(x, valid, batchDims, IndexMode.ERROR),
                    x, valid, type, indexType, batchDims, IndexMode.ERROR);
            run(ctx + " CLIP coords " + wild, ModeReference.gatherNd(x, wild, batchDims, IndexMode.CLIP),
                    x, wild, type, indexType, batchDims, IndexMode.CLIP);
            IndexMode fill = IndexMode.fill(-42);
            run(ctx + " FILL coords " + wild, ModeReference.gatherNd(x, wild, batchDims, fill),
                    x, wild, type, indexType, batchDims, fill);
        }
    }

    /** Coordinates for each of their axes, {@code beyond} past both ends of that axis. */
    private static Dense coords(Random r, long[] inShape, int batchDims, long[] cShape, int beyond) {
        Dense c = Dense.zeros(cShape);
        int k = (int) cShape[cShape.length - 1];
        for (int i = 0; i < c.size(); i++) {
            long size = inShape[batchDims + i % k];
            c.data[i] = -beyond + r.nextInt((int) size + 2 * beyond);
        }
        return c;
    }

    private static void run(String ctx, Dense expected, Dense x, Dense c, DataType type,
            DataType indexType, int batchDims, IndexMode mode) {
        try (NDManager m = manager.newSubManager()) {
            NDArray xNd = x.toNd(m, type);
            NDArray cNd = c.toNd(m, indexType);
            Snapshot before = new Snapshot(xNd, cNd);
            NDArray out;
            if (mode != IndexMode.ERROR) {
                out = GatherOps.gatherNd(xNd, cNd, batchDims, mode);
            } else if (batchDims == 0) {
                out = GatherOps.gatherNd(xNd, cNd);
            } else {
                out = GatherOps.gatherNd(xNd, cNd, batchDims);
            }
            Support.assertResult(expected, out, xNd, ctx);
            before.assertUnchanged(ctx);
        }
    }

    @Test
    void messagesNameTheFirstBadCoordinate() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(24f).reshape(2, 3, 4);
            NDArray c = m.create(new long[] {0, 1, 1, 3, 1, 7}, new Shape(3, 2));
            Snapshot before = new Snapshot(x, c);
            assertEquals("gatherNd: coords holds a coordinate out of range at position [1], "
                    + "component 1 (axis 1 of input, size 3); expected values in [0, 3), got 3",
                    message(() -> GatherOps.gatherNd(x, c)));
            // batch axes shift the axis; a negative coordinate is out of range
            NDArray b = m.create(new int[] {2, 0, 1, -1}, new Shape(2, 2, 1));
            assertEquals("gatherNd: coords holds a coordinate out of range at position [1, 1], "
                    + "component 0 (axis 1 of input, size 3); expected values in [0, 3), got -1",
                    message(() -> GatherOps.gatherNd(x, b, 1)));
            NDArray b2 = m.create(new long[] {0, 4, 1, 0, 0, 0}, new Shape(2, 3, 1));
            assertEquals("gatherNd: coords holds a coordinate out of range at position [0, 1], "
                    + "component 0 (axis 2 of input, size 4); expected values in [0, 4), got 4",
                    message(() -> GatherOps.gatherNd(x, b2, 2)));
            assertEquals("gatherNd: coords must have an axis of coordinates (its last); expected "
                    + "rank >= 1, got rank 0 (shape ())",
                    message(() -> GatherOps.gatherNd(x, m.create(1L))));
            assertEquals("gatherNd: batchDims is out of range for coords of shape (3, 2); "
                    + "expected a value in [0, 1], got 2",
                    message(() -> GatherOps.gatherNd(x, c, 2)));
            assertEquals("gatherNd: coords has more coordinates than input has axes after the "
                    + "batch axes; expected coords.size(-1) <= 3 (input shape (2, 3, 4), batchDims "
                    + "0), got 4 (shape (1, 4))",
                    message(() -> GatherOps.gatherNd(x, m.create(new long[] {0, 0, 0, 0}, new Shape(1, 4)))));
            assertEquals("gatherNd: coords does not match input at batch axis 0; expected size 2 "
                    + "(input shape (2, 3, 4)), got 3 (shape (3, 2))",
                    message(() -> GatherOps.gatherNd(x, c, 1)));
            assertEquals("gatherNd: coords must hold integers; expected dtype int32 or int64, got float32",
                    message(() -> GatherOps.gatherNd(x, m.zeros(new Shape(1, 2)))));
            assertEquals("gatherNd: input is null; expected an NDArray, got null",
                    message(() -> GatherOps.gatherNd(null, c)));
            assertEquals("gatherNd: coords cannot be clipped into axis 1 of size 0; expected an "
                    + "input with no empty indexed axis (input shape (2, 0)), got coords of shape (1, 2)",
                    message(() -> GatherOps.gatherNd(m.zeros(new Shape(2, 0)),
                            m.create(new long[] {0, 0}, new Shape(1, 2)), 0, IndexMode.CLIP)));
            before.assertUnchanged("gatherNd errors");
            // FILL into an empty axis fills
            assertEquals(m.full(new Shape(1), -1f), GatherOps.gatherNd(m.zeros(new Shape(2, 0)),
                    m.create(new long[] {0, 0}, new Shape(1, 2)), 0, IndexMode.fill(-1)));
        }
    }

    private static String message(Runnable call) {
        return assertThrows(IllegalArgumentException.class, call::run).getMessage();
    }

    /**
     * DJL 0.36's {@code NDArray.gatherNd} (coordinates in the first axis of its index, MXNet's
     * layout) folds a point into one row-major position without checking each coordinate: on a
     * [2, 3] input the point (0, 3) reads element (1, 0), and (1, -1) reads (0, 2). It also
     * rewrites its index argument in place. Ours raises, and reads the right elements where the
     * points are valid.
     */
    @Test
    void djlGatherNdAliasesAnOutOfRangeCoordinate() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.arange(6f).reshape(2, 3);
            // DJL's layout: column j of the index is point j; here the points (0, 3) and (1, 0)
            NDArray djlIndex = m.create(new long[] {0, 1, 3, 0}, new Shape(2, 2));
            NDArray djl = x.gatherNd(djlIndex);
            // (0, 3) is out of range on axis 1 (size 3), yet DJL returns x[1][0] = 3 for it
            assertArrayEquals(new float[] {3f, 3f}, djl.toFloatArray(), "DJL's gatherNd");
            assertArrayEquals(new long[] {0, 3, 3, 3}, djlIndex.toLongArray(),
                    "DJL's gatherNd rewrote its index argument");
            NDArray negative = m.create(new long[] {1, -1}, new Shape(2, 1));
            assertArrayEquals(new float[] {2f}, x.gatherNd(negative).toFloatArray(),
                    "DJL reads x[0][2] for the point (1, -1)");

            NDArray ours = m.create(new long[] {0, 3, 1, 0}, new Shape(2, 2)); // the same points
            assertEquals("gatherNd: coords holds a coordinate out of range at position [0], "
                    + "component 1 (axis 1 of input, size 3); expected values in [0, 3), got 3",
                    message(() -> GatherOps.gatherNd(x, ours)));
            assertArrayEquals(new long[] {0, 3, 1, 0}, ours.toLongArray(), "ours leaves coords alone");
            assertArrayEquals(new float[] {2f, 3f},
                    GatherOps.gatherNd(x, ours, 0, IndexMode.CLIP).toFloatArray(), "CLIP: x[0][2], x[1][0]");
            assertArrayEquals(new float[] {-1f, 3f},
                    GatherOps.gatherNd(x, ours, 0, IndexMode.fill(-1)).toFloatArray(), "FILL");
            // on valid points both agree
            NDArray valid = m.create(new long[] {0, 2, 1, 1}, new Shape(2, 2));
            NDArray djlValid = m.create(new long[] {0, 1, 2, 1}, new Shape(2, 2));
            assertArrayEquals(x.gatherNd(djlValid).toFloatArray(), GatherOps.gatherNd(x, valid).toFloatArray());
        }
    }
}
