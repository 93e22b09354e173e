package io.djlgather.ext;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpLibrary;
import io.djlgather.ext.internal.Runtimes;
import io.djlgather.ext.spi.GatherRuntime;
import io.djlgather.ext.spi.IndexRead;

import java.util.function.Supplier;

/**
 * One op call's story after its arguments are validated: the index normalized (int64, on the
 * input's device), the device runtime asked before the kernel reads it, the backend run (a
 * native DJL op or a method of the op library), and a kernel failure turned into the op's
 * error. Temporary arrays made on the way are closed with the call.
 */
final class OpCall implements AutoCloseable {

    private final String op;
    private final PtNDArray input;
    private final Device device;
    private final GatherRuntime runtime;
    private NDArray temp1;
    private NDArray temp2;
    private IndexRead read;

    OpCall(String op, PtNDArray input) {
        this.op = op;
        this.input = input;
        this.device = input.getDevice();
        this.runtime = Runtimes.forDevice(device);
    }

    /** The index as int64 on the input's device (a converted copy if it was not). */
    PtNDArray index(PtNDArray index) {
        PtNDArray result = index;
        if (result.getDataType() != DataType.INT64) {
            result = keep((PtNDArray) result.toType(DataType.INT64, false));
        }
        if (!device.equals(result.getDevice())) {
            result = keep((PtNDArray) result.toDevice(device, false));
        }
        return result;
    }

    /** A value array on the input's device (a moved copy if it was not). */
    PtNDArray onDevice(PtNDArray array) {
        return device.equals(array.getDevice())
                ? array
                : keep((PtNDArray) array.toDevice(device, false));
    }

    /**
     * Declares that the kernel reads {@code index} (already normalized) as values in
     * {@code [low, high)} along {@code axis} (-1: the flattened input), and lets the device runtime check it first.
     */
    void reads(String argument, PtNDArray index, long low, long high, int axis) {
        read = new IndexRead(op, argument, index, low, high, axis);
        runtime.beforeIndexRead(read);
        if (input.isEmpty()) {
            // PyTorch's CPU kernels (index_add, index_copy, index_fill, take_along_dim, ...)
            // return at once for an empty input without reading the index, so a bad index would
            // pass on CPU and fail on a device that checks first. Check it on every device; with
            // an empty input the check costs nothing worth counting.
            read.check();
        }
    }

    /** Whether sums should run the deterministic implementation on this device. */
    boolean deterministicSums() {
        return runtime.deterministicSums(device);
    }

    /** Runs a method of the op library; the result is attached to the input's manager. */
    NDArray library(String method, Object... args) {
        try {
            return OpLibrary.forDevice(device).run(method, input.getManager(), args);
        } catch (EngineException e) {
            throw explain(e);
        }
    }

    /** Runs a native DJL op. */
    NDArray djl(Supplier<NDArray> kernel) {
        try {
            return kernel.get();
        } catch (EngineException e) {
            throw explain(e);
        }
    }

    private RuntimeException explain(EngineException e) {
        return read == null ? e : read.explain(e);
    }

    private PtNDArray keep(PtNDArray temp) {
        if (temp1 == null) {
            temp1 = temp;
        } else {
            temp2 = temp;
        }
        return temp;
    }

    @Override
    public void close() {
        if (temp1 != null) {
            temp1.close();
        }
        if (temp2 != null) {
            temp2.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Scalars: an int64 array's value never passes through a double.

    /** Whether the array's dtype takes integral scalars ({@code _i} methods). */
    static boolean integral(DataType type) {
        return type.isInteger() || type == DataType.BOOLEAN;
    }

    /**
     * Converts a scalar argument for an array of the given dtype: a {@link Long} for integral
     * dtypes (rejecting fractions and values the dtype cannot hold), a {@link Double} otherwise.
     */
    static Object scalar(String op, String argument, Number value, DataType type) {
        Checks.notNull(op, argument, value);
        if (!integral(type)) {
            return value.doubleValue();
        }
        long v;
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw Checks.fail(op, argument, "cannot be stored in a " + type + " array",
                        "an integral value", value);
            }
            v = (long) d;
        } else {
            v = value.longValue();
        }
        long min;
        long max;
        switch (type) {
            case BOOLEAN: min = 0; max = 1; break;
            case INT8: min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; break;
            case UINT8: min = 0; max = 255; break;
            case INT32: min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; break;
            default: min = Long.MIN_VALUE; max = Long.MAX_VALUE; break;
        }
        if (v < min || v > max) {
            throw Checks.fail(op, argument, "cannot be stored in a " + type + " array",
                    "a value in [" + min + ", " + max + "]", value);
        }
        return v;
    }
}
