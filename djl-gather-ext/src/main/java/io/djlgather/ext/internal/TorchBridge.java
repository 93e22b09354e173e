package io.djlgather.ext.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The one place that reaches into DJL's PyTorch JNI, to run a method of a loaded TorchScript
 * module with autograd recording and with no Java-side {@code IValue} objects.
 *
 * <p>Why not a public DJL call: as of DJL 0.36, {@code IValueUtils.runMethod} always runs under
 * InferenceMode ({@code isTrain=false}), so its results can never take part in a backward pass;
 * {@code IValueUtils.forward(PtSymbolBlock, NDList, boolean)} passes the flag but picks the
 * method from array names (a user's array named {@code "a.b"} would silently be regrouped) and
 * takes tensors only. Both wrap every argument and result in {@code IValue} objects, which costs
 * more than the kernel itself on small arrays. The engine's own JNI entry point,
 * {@code PyTorchLibrary.moduleRunMethod(module, method, ivalueHandles, isTrain, cudaStream)}, has
 * exactly the contract we need but is package-private; it is reached here once, through method
 * handles bound at class initialization (DJL's jar is an automatic module, so this works on the
 * class path and on the module path alike). If a future DJL renames these natives, this class
 * fails at initialization with a message naming the missing method, not at a random call.
 *
 * <p>All handles are plain {@code long} native pointers; callers own what they create and free
 * it with {@link #deleteIValue(long)}.
 */
public final class TorchBridge {

    private static final MethodHandle RUN_METHOD;
    private static final MethodHandle FROM_TENSOR;
    private static final MethodHandle FROM_LONG;
    private static final MethodHandle FROM_DOUBLE;
    private static final MethodHandle FROM_BOOL;
    private static final MethodHandle FROM_STRING;
    private static final MethodHandle TO_TENSOR;
    private static final MethodHandle TO_TUPLE;
    private static final MethodHandle DELETE_IVALUE;
    private static final MethodHandle DELETE_TENSOR;

    static {
        try {
            Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field field = lib.getDeclaredField("LIB");
            field.setAccessible(true);
            Object instance = field.get(null);
            RUN_METHOD =
                    bind(lib, instance, "moduleRunMethod", long.class, String.class,
                            long[].class, boolean.class, boolean.class);
            FROM_TENSOR = bind(lib, instance, "iValueFromTensor", long.class);
            FROM_LONG = bind(lib, instance, "iValueFromLong", long.class);
            FROM_DOUBLE = bind(lib, instance, "iValueFromDouble", double.class);
            FROM_BOOL = bind(lib, instance, "iValueFromBool", boolean.class);
            FROM_STRING = bind(lib, instance, "iValueFromString", String.class);
            TO_TENSOR = bind(lib, instance, "iValueToTensor", long.class);
            TO_TUPLE = bind(lib, instance, "iValueToIValueTuple", long.class);
            DELETE_IVALUE = bind(lib, instance, "torchDeleteIValue", long.class);
            DELETE_TENSOR = bind(lib, instance, "torchDeleteTensor", long.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    new IllegalStateException(
                            "djl-gather needs DJL's PyTorch engine 0.36 JNI"
                                    + " (ai.djl.pytorch.jni.PyTorchLibrary): "
                                    + e,
                            e));
        }
    }

    private TorchBridge() {}

    private static MethodHandle bind(Class<?> lib, Object instance, String name, Class<?>... types)
            throws ReflectiveOperationException {
        Method method = lib.getDeclaredMethod(name, types);
        method.setAccessible(true);
        return MethodHandles.lookup().unreflect(method).bindTo(instance);
    }

    /**
     * Runs a method of a loaded module.
     *
     * @param module the module handle
     * @param method the method name
     * @param args the argument IValue handles (not consumed)
     * @return the result IValue handle, owned by the caller
     */
    public static long runMethod(long module, String method, long[] args) {
        try {
            // isTrain=true: autograd records as for DJL's own ops (only in grad mode);
            // no separate CUDA stream: ops run on the caller's current stream, in order.
            return (long) RUN_METHOD.invokeExact(module, method, args, true, false);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Wraps a tensor handle (the tensor is shared, not copied). */
    public static long fromTensor(long tensor) {
        try {
            return (long) FROM_TENSOR.invokeExact(tensor);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** An int IValue. */
    public static long fromLong(long value) {
        try {
            return (long) FROM_LONG.invokeExact(value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A float IValue. */
    public static long fromDouble(double value) {
        try {
            return (long) FROM_DOUBLE.invokeExact(value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A bool IValue. */
    public static long fromBool(boolean value) {
        try {
            return (long) FROM_BOOL.invokeExact(value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A str IValue. */
    public static long fromString(String value) {
        try {
            return (long) FROM_STRING.invokeExact(value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The tensor inside an IValue, as a new tensor handle owned by the caller. */
    public static long toTensor(long ivalue) {
        try {
            return (long) TO_TENSOR.invokeExact(ivalue);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The elements of a tuple IValue, as new IValue handles owned by the caller. */
    public static long[] toTuple(long ivalue) {
        try {
            return (long[]) TO_TUPLE.invokeExact(ivalue);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Frees an IValue handle. */
    public static void deleteIValue(long ivalue) {
        try {
            DELETE_IVALUE.invokeExact(ivalue);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Frees a tensor handle that no NDArray owns (one from {@link #toTensor(long)}). */
    public static void deleteTensor(long tensor) {
        try {
            DELETE_TENSOR.invokeExact(tensor);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }
}
