package io.djlgather.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A scalar written into an integer array ({@code indexFill}, {@code scatter} with a value,
 * {@code indexAdd}'s alpha) must fit the array's dtype: every integer dtype PyTorch's CPU engine
 * holds, signed and unsigned, rejects a value outside its range with the op's
 * IllegalArgumentException, never an engine error or a wrapped value.
 */
class ScalarRangeTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest(name = "{0}: {1} rejected, {2} accepted")
    @CsvSource({
        "INT8, 128, 127",
        "INT8, -129, -128",
        "UINT8, 256, 255",
        "UINT8, -1, 0",
        "INT32, 2147483648, 2147483647",
        "INT32, -2147483649, -2147483648",
        "INT64, 1e19, 9007199254740992",
        "INT64, -1e19, -9007199254740992",
        "BOOLEAN, 2, 1",
        "BOOLEAN, -1, 0",
    })
    void indexFillChecksTheDtypesRange(DataType type, String bad, String good) {
        NDArray input = manager.zeros(new Shape(2, 3), type);
        NDArray index = manager.create(new long[] {1});
        Number badValue = bad.contains("e") ? Double.valueOf(bad) : Long.valueOf(bad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatherOps.indexFill(input, 1, index, badValue));
        assertEquals("indexFill: value cannot be stored in a " + type + " array", 
                e.getMessage().substring(0, e.getMessage().indexOf(';')));
        NDArray out = GatherOps.indexFill(input, 1, index, Long.valueOf(good));
        long v = Long.parseLong(good);
        double[] expected = {0, v, 0, 0, v, 0};
        assertArrayEquals(expected, toDoubles(out), 0.0);
    }

    @Test
    void dtypesTheEngineCannotMakeAreCheckedToo() {
        // DJL 0.36's PyTorch engine aborts the JVM when asked for an INT16 array
        // (manager.zeros(shape, INT16): "terminate called without an active exception"), and
        // has no unsigned types but UINT8, so the range check is exercised directly: it runs
        // before any engine call
        IllegalArgumentException shortError = assertThrows(IllegalArgumentException.class,
                () -> io.djlgather.ext.internal.OpCall.scalar("indexFill", "value", 32_768,
                        DataType.INT16));
        assertEquals("indexFill: value cannot be stored in a int16 array; expected a value in "
                + "[-32768, 32767], got 32768", shortError.getMessage());
        assertEquals(-32_768L, io.djlgather.ext.internal.OpCall.scalar("indexFill", "value",
                -32_768, DataType.INT16));
        for (DataType type : new DataType[] {DataType.UINT16, DataType.UINT32, DataType.UINT64}) {
            Object checked = io.djlgather.ext.internal.OpCall.scalar("indexFill", "value", 5,
                    type);
            assertEquals(5L, checked);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> io.djlgather.ext.internal.OpCall.scalar("indexFill", "value", -1,
                            type));
            assertEquals("indexFill: value cannot be stored in a " + type + " array; expected "
                    + "a value in [0, " + max(type) + "], got -1", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> io.djlgather.ext.internal.OpCall
                .scalar("indexFill", "value", 4_294_967_296L, DataType.UINT32));
        assertThrows(IllegalArgumentException.class, () -> io.djlgather.ext.internal.OpCall
                .scalar("indexFill", "value", 65_536, DataType.UINT16));
    }

    @Test
    void fractionsAndNonFiniteValuesAreRejectedForIntegers() {
        NDArray input = manager.zeros(new Shape(2), DataType.INT32);
        NDArray index = manager.create(new long[] {0});
        for (double bad : new double[] {0.5, Double.NaN, Double.POSITIVE_INFINITY, 0x1p63}) {
            assertThrows(IllegalArgumentException.class,
                    () -> GatherOps.indexFill(input, 0, index, bad), "value " + bad);
        }
    }

    private static String max(DataType type) {
        switch (type) {
            case UINT16: return "65535";
            case UINT32: return "4294967295";
            default: return String.valueOf(Long.MAX_VALUE);
        }
    }

    private static double[] toDoubles(NDArray array) {
        try (NDArray d = array.toType(DataType.FLOAT64, false)) {
            return d.toDoubleArray();
        }
    }
}
