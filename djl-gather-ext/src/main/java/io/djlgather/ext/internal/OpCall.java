package io.djlgather.ext.internal;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.spi.GatherRuntime;
import io.djlgather.ext.spi.GatherRuntimes;
import io.djlgather.ext.spi.IndexRead;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One op call's story after its arguments are validated, shared by the op family and the
 * helpers: the index normalized (int64, on the anchor's device), the device runtime asked before
 * the kernel reads it, the backend run (a native DJL op or a method of the op library), and a
 * kernel failure turned into the op's error, named for the op and argument the caller sees.
 * Temporary arrays made on the way are closed with the call (autograd keeps what a backward pass
 * still needs).
 *
 * <p>The anchor is the array whose device and emptiness the call follows: the op's input, or a
 * helper's main array (emissions, attn, a cache).
 *
 * <p><b>Who owns a result.</b> Every result of the call is attached to the call's <em>owner</em>:
 * among the managers of the arrays the caller passed (the anchor, and every array given to
 * {@link #index}, {@link #onDevice} or {@link #operand}), the youngest, meaning the one that is a
 * descendant of the others. Between managers that are not on one line of descent (siblings,
 * unrelated managers), an array that does not require gradient (request data) wins over one that
 * does (a parameter); otherwise the earlier argument keeps it. A Predictor's per-request manager
 * and a Trainer's per-batch manager are descendants of the model's manager, so an op on a
 * parameter (an embedding table, CRF transitions) and request data gives a result that is freed
 * with the request, never one that stays in the model's manager for the model's life. {@link
 * #ownedBy} names the owner outright, as DJL's {@code NDArray.take(NDManager, NDArray)} does.
 */
public final class OpCall implements AutoCloseable {

    private final String op;
    private final PtNDArray input;
    private final Device device;
    private final GatherRuntime runtime;
    private final List<NDArray> temps = new ArrayList<>(2);
    private IndexRead read;
    private NDManager owner;
    private boolean ownerFixed;
    /** The argument whose manager is the owner (unused once {@link #ownedBy} fixed it). */
    private NDArray ownerArray;

    /**
     * Starts a call.
     *
     * @param op the op's Java name, used in every message
     * @param anchor the validated array the call follows (device, manager)
     */
    public OpCall(String op, PtNDArray anchor) {
        this.op = op;
        this.input = anchor;
        this.device = anchor.getDevice();
        this.runtime = GatherRuntimes.forDevice(device);
        this.owner = anchor.getManager();
        this.ownerArray = anchor;
    }

    /**
     * Names the manager every result of the call attaches to, instead of the youngest operand
     * manager; {@code null} keeps the rule.
     */
    public OpCall ownedBy(NDManager manager) {
        if (manager != null) {
            owner = manager;
            ownerFixed = true;
        }
        return this;
    }

    /**
     * Declares an array the caller passed (beyond the anchor), which may move the owner to its
     * manager (see the class doc). {@link #index} and {@link #onDevice} declare theirs.
     */
    public void operand(NDArray array) {
        if (ownerFixed || array == null) {
            return;
        }
        NDManager manager = array.getManager();
        if (manager == owner) {
            return;
        }
        if (descends(manager, owner)) {
            owner = manager;
            ownerArray = array;
        } else if (!descends(owner, manager) && ownerArray.hasGradient()
                && !array.hasGradient()) {
            // unrelated managers: the request's data, not the parameter, decides
            owner = manager;
            ownerArray = array;
        }
    }

    /** Whether {@code manager} is a strict descendant of {@code ancestor}. */
    private static boolean descends(NDManager manager, NDManager ancestor) {
        int depth = 0;
        for (NDManager m = manager.getParentManager(); m != null && depth < 256;
                m = m.getParentManager(), depth++) {
            if (m == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** The manager the call's results attach to (see the class doc). */
    public NDManager owner() {
        return owner;
    }

    /**
     * The younger of two managers: {@code other} if it descends from {@code current}, else
     * {@code current}.
     */
    public static NDManager younger(NDManager current, NDManager other) {
        return other != null && other != current && descends(other, current) ? other : current;
    }

    /** The device the call runs on: the anchor's. */
    public Device getDevice() {
        return device;
    }

    /** The index as int64 on the anchor's device (a converted copy if it was not). */
    public PtNDArray index(PtNDArray index) {
        operand(index);
        PtNDArray result = index;
        if (result.getDataType() != DataType.INT64) {
            result = keep(result.toType(DataType.INT64, false));
        }
        if (!device.equals(result.getDevice())) {
            result = keep(result.toDevice(device, false));
        }
        return result;
    }

    /**
     * The index on the anchor's device, an int32 index kept as it is: for kernels that read
     * int32 indices themselves (PyTorch 2.7's index_select, index_add and index_reduce; gather,
     * scatter, take, put, take_along_dim, index_copy and index_fill require int64 and take
     * {@link #index}), so that no int64 copy is made per call.
     */
    public PtNDArray indexAnyWidth(PtNDArray index) {
        operand(index);
        return device.equals(index.getDevice())
                ? index
                : keep(index.toDevice(device, false));
    }

    /** An array on the anchor's device (a moved copy if it was not). */
    public PtNDArray onDevice(PtNDArray array) {
        operand(array);
        return device.equals(array.getDevice())
                ? array
                : keep(array.toDevice(device, false));
    }

    /**
     * Declares that the kernel reads {@code index} (already normalized: int64, or int32 from
     * {@link #indexAnyWidth}) as values in
     * {@code [low, high)} along {@code axis} (-1: the flattened input), and lets the device runtime check it first.
     */
    public IndexRead reads(String argument, PtNDArray index, long low, long high, int axis) {
        read = new IndexRead(op, argument, index, low, high, axis);
        runtime.beforeIndexRead(read);
        if (input.isEmpty()) {
            // PyTorch's CPU kernels (index_add, index_copy, index_fill, take_along_dim, ...)
            // return at once for an empty input without reading the index, so a bad index would
            // pass on CPU and fail on a device that checks first. Check it on every device; with
            // an empty input the check costs nothing worth counting.
            read.check();
        }
        return read;
    }

    /** Whether sums should run the deterministic implementation on this device. */
    public boolean deterministicSums() {
        return runtime.deterministicSums(device);
    }

    /** Runs a method of the op library; the result is attached to the owner. */
    public PtNDArray library(String method, Object... args) {
        try {
            return OpLibrary.forDevice(device).run(method, owner, args);
        } catch (EngineException e) {
            throw explain(e);
        }
    }

    /**
     * Runs a method of the op library for another array of the call (one index read, several
     * arrays, as beam reordering does); the result is attached to the given manager.
     */
    public PtNDArray libraryFor(NDManager manager, String method, Object... args) {
        try {
            return OpLibrary.forDevice(device).run(method, manager, args);
        } catch (EngineException e) {
            throw explain(e);
        }
    }

    /** Runs a method of the op library that returns a tuple of tensors, attached to the owner. */
    public NDList libraryTuple(String method, Object... args) {
        try {
            return OpLibrary.forDevice(device).runTuple(method, owner, args);
        } catch (EngineException e) {
            throw explain(e);
        }
    }

    /**
     * Runs a native DJL op (which attaches its result to its first operand's manager) and
     * attaches the result to the owner.
     */
    public NDArray djl(Supplier<NDArray> kernel) {
        try {
            NDArray result = kernel.get();
            if (result.getManager() != owner) {
                result.attach(owner);
            }
            return result;
        } catch (EngineException e) {
            throw explain(e);
        }
    }

    private RuntimeException explain(EngineException e) {
        return read == null ? e : read.explain(e);
    }

    /** Registers a temporary array, closed with the call. */
    public <T extends NDArray> T keep(T temp) {
        temps.add(temp);
        return temp;
    }

    @Override
    public void close() {
        for (NDArray temp : temps) {
            temp.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Scalars: an int64 array's value never passes through a double.

    /** Whether the array's dtype takes integral scalars ({@code _i} methods). */
    public static boolean integral(DataType type) {
        return type.isInteger() || type == DataType.BOOLEAN;
    }

    /**
     * Converts a scalar argument for an array of the given dtype: a {@link Long} for integral
     * dtypes (rejecting fractions and values the dtype cannot hold), a {@link Double} otherwise.
     */
    public static Object scalar(String op, String argument, Number value, DataType type) {
        Checks.notNull(op, argument, value);
        if (!integral(type)) {
            return value.doubleValue();
        }
        long v;
        if (value instanceof Double || value instanceof Float) {
            double d = value.doubleValue();
            // beyond +-2^63 a cast to long would saturate silently
            if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
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
            case INT16: min = Short.MIN_VALUE; max = Short.MAX_VALUE; break;
            case UINT16: min = 0; max = 65_535; break;
            case INT32: min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; break;
            case UINT32: min = 0; max = 4_294_967_295L; break;
            // a Java long cannot exceed UINT64's range upwards; below it, only negatives
            case UINT64: min = 0; max = Long.MAX_VALUE; break;
            default: min = Long.MIN_VALUE; max = Long.MAX_VALUE; break;
        }
        if (v < min || v > max) {
            throw Checks.fail(op, argument, "cannot be stored in a " + type + " array",
                    "a value in [" + min + ", " + max + "]", value);
        }
        return v;
    }
}
