package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;

import org.junit.jupiter.api.Test;

class IndexUploadTest {

    @Test
    void longValuesBecomeAnInt64IndexOnTheDevice() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            long[] values = {3, -1, Long.MAX_VALUE, 0, 7, 2};
            NDArray index = IndexUpload.toDevice(m, values, new Shape(2, 3), Device.cpu());
            assertEquals(DataType.INT64, index.getDataType());
            assertEquals(new Shape(2, 3), index.getShape());
            assertEquals(Device.cpu(), index.getDevice());
            assertSame(m, index.getManager());
            assertArrayEquals(values, index.toLongArray());
            values[0] = 99;
            assertEquals(3, index.toLongArray()[0], "the array does not alias the Java values");
        }
    }

    @Test
    void intValuesAreWidened() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int[] values = {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE};
            NDArray index = IndexUpload.toDevice(m, values, new Shape(4), Device.cpu());
            assertEquals(DataType.INT64, index.getDataType());
            assertArrayEquals(new long[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE},
                    index.toLongArray());
        }
    }

    @Test
    void theUploadedIndexFeedsTheOps() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = m.arange(6f).reshape(2, 3);
            NDArray index = IndexUpload.toDevice(m, new int[] {2, 0}, new Shape(2, 1), Device.cpu());
            assertArrayEquals(new float[] {2, 3},
                    GatherOps.gather(input, 1, index).toFloatArray());
        }
    }

    @Test
    void badArgumentsAreRejected() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> IndexUpload.toDevice(m, new long[] {1, 2, 3}, new Shape(2, 2), Device.cpu()));
            assertEquals("IndexUpload.toDevice: shape does not hold the values; expected 3 elements,"
                    + " got (2, 2) (4 elements)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> IndexUpload.toDevice(m, (int[]) null, new Shape(0), Device.cpu()));
            assertEquals("IndexUpload.toDevice: values is null; expected a value, got null",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> IndexUpload.toDevice(null, new long[0], new Shape(0), Device.cpu()));
            assertEquals("IndexUpload.toDevice: manager is null; expected a value, got null",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> IndexUpload.toDevice(m, new long[0], null, Device.cpu()));
            assertEquals("IndexUpload.toDevice: shape is null; expected a value, got null",
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> IndexUpload.toDevice(m, new long[0], new Shape(0), null));
            assertEquals("IndexUpload.toDevice: device is null; expected a value, got null",
                    e.getMessage());
        }
    }
}
