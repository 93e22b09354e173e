package io.djlgather.ext;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches off PyTorch's NNPACK convolution backend in the loaded libtorch, as Python's {@code
 * torch.backends.nnpack.set_flags(False)} does.
 *
 * <p>Why: on a CPU where NNPACK cannot initialize, libtorch 2.7 logs "Could not initialize
 * NNPACK! Reason: Unsupported hardware." each time a convolution's backend selection asks
 * whether NNPACK is available (float32 4-D CPU convolutions that oneDNN declines, such as batch 1
 * with a 3x3 kernel on a small input): thousands of lines in a short training run. The
 * environment variables {@code TORCH_CPP_LOG_LEVEL} and {@code GLOG_minloglevel} are read only by
 * Python's {@code torch} initialization, so they do not help under DJL. PyTorch asks its user
 * switch {@code at::globalContext().userEnabledNNPACK()} before it asks for NNPACK, and DJL's JNI
 * does not expose that switch, so this class calls {@code at::Context::setUserEnabledNNPACK(false)}
 * in {@code libtorch_cpu} through JNA (already on the classpath through DJL's api).
 *
 * <p>What it changes: only which CPU convolution kernel libtorch may pick. NNPACK is chosen only
 * for stride-1, undilated float32 4-D convolutions with a batch of 16 or more that oneDNN did not
 * take, and oneDNN takes every convolution with a batch of 16 or more while it is enabled (the
 * default), so results stay the same; with NNPACK off those convolutions run oneDNN's or ATen's
 * own kernels. The switch is process-wide, like every libtorch global setting.
 *
 * <p>It never throws: where the switch cannot be applied (another engine, libtorch without
 * {@code libtorch_cpu} or with other symbol names, e.g. an MSVC build) it logs why at debug level
 * and returns false; libtorch then behaves as before.
 */
public final class Nnpack {

    private static final Logger logger = LoggerFactory.getLogger(Nnpack.class);

    // Itanium C++ ABI names (Linux, macOS) of the libtorch functions used, checked with nm -D.
    static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    static final String SET_USER_ENABLED = "_ZN2at7Context20setUserEnabledNNPACKEb";
    static final String USER_ENABLED = "_ZNK2at7Context17userEnabledNNPACKEv";

    private static Boolean disabled; // guarded by Nnpack.class; null until first tried

    private Nnpack() {}

    /**
     * Switches NNPACK off in the PyTorch engine's libtorch, loading the engine if needed. Call it
     * once at startup, before the first convolution; later calls return the first call's answer.
     *
     * @return true if NNPACK is off now (read back from libtorch), false if the switch could not
     *     be applied
     */
    public static synchronized boolean disable() {
        if (disabled == null) {
            disabled = trySetUserEnabled(false);
        }
        return disabled;
    }

    /**
     * Reads libtorch's user switch for NNPACK.
     *
     * @return true if NNPACK may be used, false if switched off; null if the switch cannot be read
     */
    public static Boolean isUserEnabled() {
        try {
            Function get = torchCpu().getFunction(USER_ENABLED);
            return (get.invokeInt(new Object[] {globalContext()}) & 0xff) != 0;
        } catch (RuntimeException | LinkageError e) {
            logger.debug("cannot read libtorch's NNPACK switch", e);
            return null;
        }
    }

    private static boolean trySetUserEnabled(boolean enabled) {
        try {
            Function set = torchCpu().getFunction(SET_USER_ENABLED);
            set.invokeVoid(new Object[] {globalContext(), enabled});
        } catch (RuntimeException | LinkageError e) {
            logger.debug("NNPACK left as it is: cannot call {} in libtorch_cpu", SET_USER_ENABLED, e);
            return false;
        }
        Boolean now = isUserEnabled();
        return now != null && now == enabled;
    }

    private static Pointer globalContext() {
        Pointer context = torchCpu().getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
        if (context == null) {
            throw new IllegalStateException("at::globalContext() returned null");
        }
        return context;
    }

    /** The libtorch_cpu that DJL loaded: opening the same file again returns the loaded one. */
    private static NativeLibrary torchCpu() {
        Engine.getEngine("PyTorch"); // loads libtorch (throws if the engine is missing)
        Path lib = Path.of(LibUtils.getLibtorchPath()).resolve(System.mapLibraryName("torch_cpu"));
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException("no " + lib);
        }
        return NativeLibrary.getInstance(lib.toString());
    }
}
