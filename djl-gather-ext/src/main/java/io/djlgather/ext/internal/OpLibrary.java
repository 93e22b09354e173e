package io.djlgather.ext.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The op library: PyTorch kernels that DJL's NDArray does not expose (scatter_add,
 * index_reduce, ...) and fused multi-step helpers (CRF forward algorithm, Viterbi), as methods
 * of one TorchScript module whose source ships as resource files next to this class's package
 * ({@code io/djlgather/ext/ops/*.torchscript}).
 *
 * <p>One library is loaded per device, on first use, and shared by all threads (libtorch runs
 * methods of one module concurrently). Each library owns an {@link NDManager} on its device;
 * {@link #release(Device)} or {@link #releaseAll()} closes it and frees the module.
 *
 * <p>Release is safe at any time, from any thread: each call counts itself in and out of its
 * library, and a released library is freed when its last call in flight returns (at once when
 * none is). A call never runs on a freed module: a call that starts on a library that is
 * already released, through a reference taken before, runs on the device's current library,
 * which the first such call loads again. The count is one compare-and-set on the way in and one
 * atomic decrement on the way out, small beside the ~15 µs of a method run.
 *
 * <p>Calls are lean: arguments become native IValue handles directly (no Java wrapper objects),
 * IValues of common constants (small ints, booleans, reduction names) are made once, and the
 * result tensor is attached to the caller's manager, like the result of a native DJL op.
 */
public final class OpLibrary implements AutoCloseable {

    /** The method sources, in class order. Each is a file of two-space-indented methods. */
    private static final List<String> SOURCES =
            List.of("core", "deterministic", "crf", "crf_topk", "pixels", "modes", "group");

    private static final Map<Device, OpLibrary> LIBRARIES = new ConcurrentHashMap<>();

    /** The bit of {@link #state} that says the library is released. */
    private static final long RELEASED = 1L << 62;

    private static volatile String source;

    private final Device device;
    private final NDManager owner;
    private final PtSymbolBlock module;
    private final long moduleHandle;
    /** Calls in flight, plus {@link #RELEASED} once released; freed when it equals RELEASED. */
    private final AtomicLong state = new AtomicLong();

    private OpLibrary(Device device) {
        this.device = device;
        this.owner = NDManager.newBaseManager(device, "PyTorch");
        try (InputStream archive = new ByteArrayInputStream(TorchScriptArchive.write(source()))) {
            this.module = JniUtils.loadModule((PtNDManager) owner, archive, true, false);
        } catch (IOException e) {
            owner.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            owner.close();
            throw new IllegalStateException(
                    "djl-gather: the op library failed to load on " + device + ": "
                            + e.getMessage(), e);
        }
        this.moduleHandle = module.getHandle();
    }

    /**
     * Returns the library for a device, loading it on first use (once, even under concurrent
     * first use).
     */
    public static OpLibrary forDevice(Device device) {
        OpLibrary library = LIBRARIES.get(device);
        return library != null ? library : LIBRARIES.computeIfAbsent(device, OpLibrary::new);
    }

    /** Whether a library is loaded for the device. */
    public static boolean isLoaded(Device device) {
        return LIBRARIES.containsKey(device);
    }

    /**
     * Releases the library of one device; the next op on that device loads it again. Calls in
     * flight finish on it, and it is freed when the last of them returns.
     */
    public static void release(Device device) {
        OpLibrary library = LIBRARIES.remove(device);
        if (library != null) {
            library.close();
        }
    }

    /** Releases every loaded library, as {@link #release(Device)} does. */
    public static void releaseAll() {
        for (Device device : List.copyOf(LIBRARIES.keySet())) {
            release(device);
        }
    }

    /** The full TorchScript source of the module class's methods. */
    public static String source() {
        String s = source;
        if (s == null) {
            StringBuilder sb = new StringBuilder();
            for (String name : SOURCES) {
                String path = "/io/djlgather/ext/ops/" + name + ".torchscript";
                try (InputStream in = OpLibrary.class.getResourceAsStream(path)) {
                    if (in == null) {
                        continue; // a source file of a feature not built into this jar
                    }
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            s = sb.toString();
            source = s;
        }
        return s;
    }

    /** The device this library runs on. */
    public Device getDevice() {
        return device;
    }

    /**
     * Runs a method that returns one tensor.
     *
     * @param method the method name in the TorchScript source
     * @param manager the manager the result is attached to
     * @param args {@link NDArray} (PyTorch engine), {@link Integer}/{@link Long} (int),
     *     {@link Double}/{@link Float} (float), {@link Boolean} (bool) or {@link String} (str)
     * @return the result
     */
    public PtNDArray run(String method, NDManager manager, Object... args) {
        PtNDManager target = (PtNDManager) manager;
        OpLibrary library = enter();
        try {
            return array(target, library.invoke(method, args));
        } finally {
            library.exit();
        }
    }

    /**
     * Runs a method that returns a tuple of tensors. If turning an item into an array fails
     * (for example because the manager is closed), the arrays already made are closed and the
     * remaining items freed before the failure is rethrown.
     */
    public NDList runTuple(String method, NDManager manager, Object... args) {
        PtNDManager target = (PtNDManager) manager;
        OpLibrary library = enter();
        try {
            long result = library.invoke(method, args);
            long[] items;
            try {
                items = TorchBridge.toTuple(result);
            } finally {
                TorchBridge.deleteIValue(result); // the items are IValues of their own
            }
            NDList list = new NDList(items.length);
            int next = 0;
            try {
                while (next < items.length) {
                    list.add(array(target, items[next++]));
                }
                return list;
            } catch (RuntimeException | Error e) {
                for (NDArray made : list) {
                    made.close();
                }
                for (int i = next; i < items.length; i++) {
                    try {
                        TorchBridge.deleteIValue(items[i]);
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        } finally {
            library.exit();
        }
    }

    /** The tensor of an IValue as an array of the manager; the IValue is freed in any case. */
    private static PtNDArray array(PtNDManager manager, long ivalue) {
        long tensor;
        try {
            tensor = TorchBridge.toTensor(ivalue);
        } finally {
            TorchBridge.deleteIValue(ivalue);
        }
        try {
            return new PtNDArray(manager, tensor);
        } catch (RuntimeException e) {
            // the manager refused it (closed, capped): no array owns the tensor
            TorchBridge.deleteTensor(tensor);
            throw e;
        }
    }

    /**
     * Counts a call in: on this library, or, when this one is released, on the device's current
     * library (loading it if need be).
     */
    private OpLibrary enter() {
        OpLibrary library = this;
        while (!library.tryEnter()) {
            LIBRARIES.remove(device, library); // closed directly while still listed
            library = forDevice(device);
        }
        return library;
    }

    private boolean tryEnter() {
        long s;
        do {
            s = state.get();
            if ((s & RELEASED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(s, s + 1));
        return true;
    }

    private void exit() {
        if (state.decrementAndGet() == RELEASED) {
            free(); // the last call in flight on a released library
        }
    }

    private long invoke(String method, Object[] args) {
        long[] handles = new long[args.length];
        long ownedMask = 0; // bit i: handles[i] was made for this call and is freed after it
        try {
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                long constant = Constants.of(arg);
                if (constant != 0) {
                    handles[i] = constant;
                } else {
                    handles[i] = toIValue(arg);
                    ownedMask |= 1L << i;
                }
            }
            return TorchBridge.runMethod(moduleHandle, method, handles);
        } finally {
            for (int i = 0; i < args.length; i++) {
                if ((ownedMask & (1L << i)) != 0 && handles[i] != 0) {
                    TorchBridge.deleteIValue(handles[i]);
                }
            }
        }
    }

    private static long toIValue(Object arg) {
        if (arg instanceof PtNDArray) {
            return TorchBridge.fromTensor(((PtNDArray) arg).getHandle());
        } else if (arg instanceof Integer || arg instanceof Long) {
            return TorchBridge.fromLong(((Number) arg).longValue());
        } else if (arg instanceof Double || arg instanceof Float) {
            return TorchBridge.fromDouble(((Number) arg).doubleValue());
        } else if (arg instanceof Boolean) {
            return TorchBridge.fromBool((Boolean) arg);
        } else if (arg instanceof String) {
            return TorchBridge.fromString((String) arg);
        }
        throw new IllegalArgumentException(
                "OpLibrary: unsupported argument type " + (arg == null ? "null" : arg.getClass()));
    }

    /**
     * Releases this library: it is freed now if no call is in flight, else when the last one
     * returns; calls that start later run on the device's current library. Idempotent.
     */
    @Override
    public void close() {
        LIBRARIES.remove(device, this);
        long before = state.getAndUpdate(s -> s | RELEASED);
        if (before == 0) {
            free();
        }
    }

    /** Frees the module and the library's manager; runs once, when released and idle. */
    private void free() {
        try {
            module.close();
        } finally {
            owner.close();
        }
    }

    /**
     * IValues of constants made once per process and never freed (a few bytes each): small ints
     * (axes), booleans, and strings, which callers only pass from a fixed set (reduction names).
     */
    private static final class Constants {
        private static final int SMALL = 64;
        private static final long[] INTS = new long[SMALL];
        private static final long TRUE = TorchBridge.fromBool(true);
        private static final long FALSE = TorchBridge.fromBool(false);
        private static final Map<String, Long> STRINGS = new ConcurrentHashMap<>();

        static {
            for (int i = 0; i < SMALL; i++) {
                INTS[i] = TorchBridge.fromLong(i);
            }
        }

        /** The shared IValue of a constant, or 0 when the argument is not one. */
        static long of(Object arg) {
            if (arg instanceof Integer) {
                int v = (Integer) arg;
                return v >= 0 && v < SMALL ? INTS[v] : 0;
            } else if (arg instanceof Boolean) {
                return (Boolean) arg ? TRUE : FALSE;
            } else if (arg instanceof String) {
                return STRINGS.computeIfAbsent((String) arg, TorchBridge::fromString);
            }
            return 0;
        }
    }
}
