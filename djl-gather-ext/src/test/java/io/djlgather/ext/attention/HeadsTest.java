package io.djlgather.ext.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.djlgather.ext.GatherOps;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** selectHeads and reorderBeams against naive loops, the tutorial's wrong recipe, bad inputs. */
class HeadsTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static double[] random(Random r, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = r.nextInt(2001) - 1000; // integers: exact in every dtype used here
        }
        return v;
    }

    /** out[b][t][d] = attn[b][heads[b][t]][t][d], attn [B,H,T,D]. */
    private static double[] naiveSelect(double[] attn, int b, int h, int t, int d, long[] heads) {
        double[] out = new double[b * t * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                int head = (int) heads[i * t + j];
                for (int k = 0; k < d; k++) {
                    out[(i * t + j) * d + k] = attn[((i * h + head) * t + j) * d + k];
                }
            }
        }
        return out;
    }

    private static double[] values(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray(); // toType would return the array itself
        }
        try (NDArray d = array.toType(DataType.FLOAT64, false)) {
            return d.toDoubleArray();
        }
    }

    // ---------------------------------------------------------------------------------------
    // selectHeads

    static Stream<Arguments> selectCases() {
        List<Arguments> cases = new ArrayList<>();
        for (DataType index : new DataType[] {DataType.INT32, DataType.INT64}) {
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64, DataType.INT64}) {
                cases.add(Arguments.of(index, type));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "heads {0}, attn {1}")
    @MethodSource("selectCases")
    void selectHeadsMatchesNaiveLoop(DataType indexType, DataType type) {
        Random r = new Random(("select" + indexType + type).hashCode());
        int b = 2;
        int h = 3;
        int t = 5;
        int d = 4;
        double[] attn = random(r, b * h * t * d);
        long[] heads = new long[b * t];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = r.nextInt(h);
        }
        heads[0] = h - 1;
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.create(attn, new Shape(b, h, t, d)).toType(type, false);
            NDArray hs = m.create(heads, new Shape(b, t)).toType(indexType, false);
            byte[] aBefore = a.toByteArray().clone();
            byte[] hBefore = hs.toByteArray().clone();
            NDArray out = Heads.selectHeads(a, hs);
            assertEquals(new Shape(b, t, d), out.getShape());
            assertEquals(type, out.getDataType());
            assertSame(a.getManager(), out.getManager());
            assertEquals(a.getDevice(), out.getDevice());
            assertArrayEquals(naiveSelect(attn, b, h, t, d, heads), values(out));
            assertArrayEquals(aBefore, a.toByteArray(), "attn unchanged");
            assertArrayEquals(hBefore, hs.toByteArray(), "heads unchanged");
        }
    }

    /**
     * The tutorial's recipe, an index of shape [B,T,1,D] along axis 1, reads attn[b][heads[b][t]][0]
     * (position 0's row) for every t: it differs from the right answer whenever T > 1.
     */
    @Test
    void tutorialRecipeReadsPositionZeroForEveryPosition() {
        int b = 1;
        int h = 3;
        int t = 3;
        int d = 2;
        double[] attn = random(new Random(11), b * h * t * d);
        long[] heads = {2, 0, 1};
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.create(attn, new Shape(b, h, t, d));
            NDArray hs = m.create(heads, new Shape(b, t));
            // the tutorial: heads[b][t] broadcast to [B,T,1,D], gathered along axis 1
            NDArray tutorialIndex = hs.reshape(b, t, 1, 1).repeat(3, d);
            NDArray tutorial = GatherOps.gather(a, 1, tutorialIndex).reshape(b, t, d);
            double[] right = naiveSelect(attn, b, h, t, d, heads);
            double[] positionZero = new double[b * t * d];
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < d; k++) {
                    positionZero[j * d + k] = attn[((int) heads[j] * t) * d + k];
                }
            }
            assertArrayEquals(positionZero, tutorial.toDoubleArray(), "the tutorial's reading");
            assertFalse(java.util.Arrays.equals(right, tutorial.toDoubleArray()),
                    "the tutorial's recipe must differ from the right answer here");
            assertArrayEquals(right, Heads.selectHeads(a, hs).toDoubleArray());
        }
    }

    @Test
    void selectHeadsGradientAddsIntoTheSelectedRows() {
        int b = 2;
        int h = 2;
        int t = 3;
        int d = 2;
        long[] heads = {1, 0, 1, 0, 0, 1};
        try (NDManager m = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray a = m.create(random(new Random(12), b * h * t * d), new Shape(b, h, t, d));
            a.setRequiresGradient(true);
            NDArray out = Heads.selectHeads(a, m.create(heads, new Shape(b, t)));
            collector.backward(out.sum());
            double[] want = new double[b * h * t * d];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    for (int k = 0; k < d; k++) {
                        want[((i * h + (int) heads[i * t + j]) * t + j) * d + k] = 1;
                    }
                }
            }
            assertArrayEquals(want, a.getGradient().toDoubleArray());
        }
    }

    // ---------------------------------------------------------------------------------------
    // reorderBeams

    @Test
    void reorderBeamsMatchesNaiveIndexSelect() {
        Random r = new Random(13);
        int bk = 6; // B = 2, K = 3
        long[] beam = {2, 2, 0, 4, 3, 3};
        try (NDManager m = manager.newSubManager()) {
            // keys [B*K,H,T,D], a float64 value cache, a length vector [B*K]
            double[] k = random(r, bk * 2 * 3 * 2);
            double[] v = random(r, bk * 4);
            long[] len = {5, 6, 7, 8, 9, 10};
            NDArray keys = m.create(k, new Shape(bk, 2, 3, 2)).toType(DataType.FLOAT32, false);
            keys.setName("keys");
            NDArray values = m.create(v, new Shape(bk, 4));
            NDArray lengths = m.create(len);
            NDArray beamIndex = m.create(beam).toType(DataType.INT32, false);
            byte[] before = keys.toByteArray().clone();
            NDList out = Heads.reorderBeams(new NDList(keys, values, lengths), beamIndex, 0);
            assertEquals(3, out.size());
            assertEquals("keys", out.get(0).getName());
            assertEquals(DataType.FLOAT32, out.get(0).getDataType());
            assertEquals(new Shape(bk, 2, 3, 2), out.get(0).getShape());
            assertSame(keys.getManager(), out.get(0).getManager());
            assertArrayEquals(naiveRows(k, 12, beam), values(out.get(0)));
            assertArrayEquals(naiveRows(v, 4, beam), out.get(1).toDoubleArray());
            assertArrayEquals(new long[] {7, 7, 5, 9, 8, 8}, out.get(2).toLongArray());
            assertArrayEquals(before, keys.toByteArray(), "caches unchanged");
            assertEquals(0, Heads.reorderBeams(new NDList(), beamIndex, 0).size());
        }
    }

    @Test
    void reorderBeamsAlongANegativeAxis() {
        try (NDManager m = manager.newSubManager()) {
            // beams on the last axis but one: [T=2, B*K=3, D=2] and [B*K=3, D=1]
            NDArray x = m.arange(12f).reshape(2, 3, 2);
            NDArray y = m.arange(3f).reshape(3, 1);
            NDList out = Heads.reorderBeams(new NDList(x, y), m.create(new long[] {1, 1, 0}), -2);
            assertArrayEquals(new float[] {2, 3, 2, 3, 0, 1, 8, 9, 8, 9, 6, 7}, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {1, 1, 0}, out.get(1).toFloatArray());
        }
    }

    @Test
    void reorderBeamsTakesABeamIndexOfAnyLengthAsIndexSelectDoes() {
        Random r = new Random(17);
        int n = 6; // N = B*K hypotheses before the step
        try (NDManager m = manager.newSubManager()) {
            double[] k = random(r, n * 2 * 3);
            double[] v = random(r, n * 4);
            NDArray keys = m.create(k, new Shape(n, 2, 3));
            NDArray values = m.create(v, new Shape(n, 4)).toType(DataType.FLOAT32, false);
            // pruned (two hypotheses finished), widened, a single survivor, none left
            long[][] beams = {{5, 0, 0, 2}, {1, 1, 3, 3, 0, 5, 4, 2}, {4}, {}};
            for (long[] beam : beams) {
                NDArray beamIndex = m.create(beam, new Shape(beam.length));
                NDList out = Heads.reorderBeams(new NDList(keys, values), beamIndex, 0);
                assertEquals(new Shape(beam.length, 2, 3), out.get(0).getShape());
                assertEquals(new Shape(beam.length, 4), out.get(1).getShape());
                assertArrayEquals(naiveRows(k, 6, beam), out.get(0).toDoubleArray());
                assertArrayEquals(naiveRows(v, 4, beam), values(out.get(1)));
            }
            // along a middle axis: [T=2, N=3, D=2] pruned to 2 hypotheses
            NDArray x = m.arange(12f).reshape(2, 3, 2);
            NDList out = Heads.reorderBeams(new NDList(x), m.create(new long[] {2, 0}), 1);
            assertEquals(new Shape(2, 2, 2), out.get(0).getShape());
            assertArrayEquals(new float[] {4, 5, 0, 1, 10, 11, 6, 7}, out.get(0).toFloatArray());
            // values are still checked against N, whatever the length
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Heads.reorderBeams(new NDList(keys), m.create(new long[] {0, 6}), 0));
            assertTrue(e.getMessage().startsWith("reorderBeams: beamIndex is out of range")
                    && e.getMessage().contains("[0, 6)"), e.getMessage());
        }
    }

    /** out[j] = rows[beam[j]] for rows of the given length. */
    private static double[] naiveRows(double[] data, int row, long[] beam) {
        double[] out = new double[beam.length * row];
        for (int j = 0; j < beam.length; j++) {
            System.arraycopy(data, (int) beam[j] * row, out, j * row, row);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // Bad inputs

    private static void assertBad(String op, String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op + ": " + argument + " "), e.getMessage());
    }

    @Test
    void badInputsAreRejectedWithTheOpAndArgumentNamed() {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.zeros(new Shape(2, 3, 4, 5));
            NDArray hs = m.zeros(new Shape(2, 4), DataType.INT64);
            String s = "selectHeads";
            assertBad(s, "attn", () -> Heads.selectHeads(null, hs));
            assertBad(s, "attn", () -> Heads.selectHeads(m.zeros(new Shape(2, 3, 4)), hs));
            assertBad(s, "heads", () -> Heads.selectHeads(a, null));
            assertBad(s, "heads", () -> Heads.selectHeads(a, m.zeros(new Shape(2, 4))));
            assertBad(s, "heads", () -> Heads.selectHeads(a, m.zeros(new Shape(2, 3), DataType.INT64)));
            assertBad(s, "heads", () -> Heads.selectHeads(a, m.zeros(new Shape(2, 4, 1), DataType.INT64)));
            NDArray tooBig = m.create(new long[] {0, 1, 2, 3, 0, 0, 0, 0}, new Shape(2, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Heads.selectHeads(a, tooBig));
            assertTrue(e.getMessage().startsWith("selectHeads: heads is out of range")
                    && e.getMessage().contains("[0, 3)"), e.getMessage());
            NDArray negative = m.create(new int[] {0, 1, 2, -1, 0, 0, 0, 0}, new Shape(2, 4));
            assertBad(s, "heads", () -> Heads.selectHeads(a, negative));
            // D == 0: the kernel reads no row, yet a bad head is rejected as on every device
            NDArray noColumns = m.zeros(new Shape(2, 3, 4, 0));
            assertBad(s, "heads", () -> Heads.selectHeads(noColumns, tooBig));

            String r = "reorderBeams";
            NDArray cache = m.zeros(new Shape(6, 2));
            NDArray beam = m.create(new long[] {0, 1, 2, 3, 4, 5});
            assertBad(r, "caches", () -> Heads.reorderBeams(null, beam, 0));
            assertBad(r, "beamIndex", () -> Heads.reorderBeams(new NDList(cache), null, 0));
            assertBad(r, "beamIndex", () -> Heads.reorderBeams(new NDList(cache), beam.toType(DataType.FLOAT32, false), 0));
            assertBad(r, "beamIndex", () -> Heads.reorderBeams(new NDList(cache), beam.reshape(2, 3), 0));
            assertBad(r, "caches[1]", () -> Heads.reorderBeams(new NDList(cache, m.zeros(new Shape(5, 2))), beam, 0));
            NDList withNull = new NDList(cache);
            withNull.add(null);
            assertBad(r, "caches[1]", () -> Heads.reorderBeams(withNull, beam, 0));
            assertBad(r, "axis", () -> Heads.reorderBeams(new NDList(cache), beam, 2));
            assertBad(r, "axis", () -> Heads.reorderBeams(new NDList(cache, m.zeros(new Shape(6))), beam, -2));
            assertBad(r, "axis", () -> Heads.reorderBeams(new NDList(m.create(1f)), beam, 0));
            NDArray outOfRange = m.create(new long[] {0, 1, 2, 3, 4, 6});
            e = assertThrows(IllegalArgumentException.class,
                    () -> Heads.reorderBeams(new NDList(cache, cache), outOfRange, 0));
            assertTrue(e.getMessage().startsWith("reorderBeams: beamIndex is out of range")
                    && e.getMessage().contains("[0, 6)"), e.getMessage());
        }
    }
}
