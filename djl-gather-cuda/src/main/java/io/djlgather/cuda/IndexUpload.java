package io.djlgather.cuda;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.djlgather.ext.spi.Arguments;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * Index upload: Java {@code long[]} / {@code int[]} values to an int64 index array on a target
 * device, with one host-to-device copy.
 *
 * <p>The values are written once into a direct buffer (int values widened to int64 on the way,
 * so no conversion kernel runs on the device afterwards; the ops read int64 indices), and
 * libtorch copies that buffer straight to the target device. The usual {@code
 * manager.create(values).toDevice(gpu, false)} makes a CPU tensor first and then copies it.
 * On a CPU target the array wraps the buffer without a further copy.
 *
 * <p>The result lives on {@code device} and is attached to {@code manager} (closed with it),
 * like DJL's own {@code NDArray.toDevice} results; the manager's own device does not matter.
 */
public final class IndexUpload {

    private static final String OP = "IndexUpload.toDevice";

    private IndexUpload() {}

    /**
     * Uploads int64 index values.
     *
     * <pre>
     * out[i0, ..., ik] = values[row-major offset of (i0, ..., ik) in shape]
     * </pre>
     *
     * @param manager the manager the result is attached to (PyTorch engine)
     * @param values the index values, row-major; not modified, and not range-checked (the ops
     *     check ranges when they read the index)
     * @param shape the index shape, [d0, ..., dk] with {@code shape.size() == values.length}
     * @param device the device the index is created on, e.g. {@code Device.gpu(1)}
     * @return an int64 array of {@code shape} on {@code device}, attached to {@code manager}
     * @throws IllegalArgumentException if an argument is null, if {@code manager} is not a
     *     PyTorch engine manager, or if {@code shape} does not hold {@code values.length}
     *     elements
     */
    public static NDArray toDevice(NDManager manager, long[] values, Shape shape, Device device) {
        PtNDManager target = check(manager, values, shape, device,
                values == null ? 0 : values.length);
        ByteBuffer buffer = allocate(values.length);
        buffer.asLongBuffer().put(values);
        return upload(target, buffer, shape, device);
    }

    /**
     * Uploads int32 index values as an int64 array (widened while filling the transfer buffer).
     *
     * <pre>
     * out[i0, ..., ik] = (long) values[row-major offset of (i0, ..., ik) in shape]
     * </pre>
     *
     * @param manager the manager the result is attached to (PyTorch engine)
     * @param values the index values, row-major; not modified, not range-checked
     * @param shape the index shape, with {@code shape.size() == values.length}
     * @param device the device the index is created on
     * @return an int64 array of {@code shape} on {@code device}, attached to {@code manager}
     * @throws IllegalArgumentException if an argument is null, if {@code manager} is not a
     *     PyTorch engine manager, or if {@code shape} does not hold {@code values.length}
     *     elements
     */
    public static NDArray toDevice(NDManager manager, int[] values, Shape shape, Device device) {
        PtNDManager target = check(manager, values, shape, device,
                values == null ? 0 : values.length);
        ByteBuffer buffer = allocate(values.length);
        LongBuffer longs = buffer.asLongBuffer();
        for (int value : values) {
            longs.put(value);
        }
        return upload(target, buffer, shape, device);
    }

    private static PtNDManager check(
            NDManager manager, Object values, Shape shape, Device device, int length) {
        Arguments.notNull(OP, "manager", manager);
        Arguments.notNull(OP, "values", values);
        Arguments.notNull(OP, "shape", shape);
        Arguments.notNull(OP, "device", device);
        if (!(manager instanceof PtNDManager)) {
            throw Arguments.fail(OP, "manager", "is not a PyTorch engine manager",
                    "an NDManager of DJL's PyTorch engine", manager.getClass().getName());
        }
        if (shape.size() != length) {
            throw Arguments.fail(OP, "shape", "does not hold the values",
                    length + " elements", shape + " (" + shape.size() + " elements)");
        }
        return (PtNDManager) manager;
    }

    private static ByteBuffer allocate(int length) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(length, Long.BYTES))
                .order(ByteOrder.nativeOrder());
    }

    private static NDArray upload(PtNDManager manager, ByteBuffer buffer, Shape shape, Device device) {
        // libtorch wraps the buffer and, for a GPU device, copies it to the device once
        return JniUtils.createNdFromByteBuffer(
                manager, buffer, shape, DataType.INT64, SparseFormat.DENSE, device);
    }
}
