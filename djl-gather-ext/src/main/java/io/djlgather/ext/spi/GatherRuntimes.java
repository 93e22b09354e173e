package io.djlgather.ext.spi;

import ai.djl.Device;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Picks the {@link GatherRuntime} that governs ops on a device, and lets an application put its
 * own runtime first in line.
 *
 * <p>The choice for a device is the first runtime, in this order, whose {@link
 * GatherRuntime#supports(Device)} accepts it:
 *
 * <ol>
 *   <li>runtimes {@linkplain #install(GatherRuntime) installed} and not yet removed, the most
 *       recently installed first;
 *   <li>runtimes found through {@link ServiceLoader} (the default: a jar such as djl-gather-cuda
 *       lists its runtime in {@code META-INF/services/io.djlgather.ext.spi.GatherRuntime}), in
 *       the order ServiceLoader finds them;
 *   <li>the built-in runtime, which supports every device: on CPU PyTorch's kernels check index
 *       ranges; on any other device every index is {@linkplain IndexRead#check() checked} before
 *       the kernel runs.
 * </ol>
 *
 * <p>The choice is cached per device and recomputed after every install or removal. All methods
 * are thread-safe.
 *
 * <p>Example: apply djl-gather-cuda's policies to CPU arrays too, for one block of code:
 *
 * <pre>
 * try (GatherRuntimes.Installation installed =
 *         GatherRuntimes.install(new CudaGatherRuntime(device -&gt; true))) {
 *     GatherOps.scatterAdd(input, 0, index, src); // governed by the installed runtime
 * }
 * </pre>
 */
public final class GatherRuntimes {

    /** CPU: PyTorch's kernels check index ranges; elsewhere: check before the kernel runs. */
    private static final GatherRuntime BUILT_IN =
            new GatherRuntime() {
                @Override
                public boolean supports(Device device) {
                    return true;
                }

                @Override
                public void beforeIndexRead(IndexRead read) {
                    if (!Device.Type.CPU.equals(read.getIndex().getDevice().getDeviceType())) {
                        read.check();
                    }
                }

                @Override
                public String toString() {
                    return "built-in runtime";
                }
            };

    private static final List<GatherRuntime> PROVIDERS = new CopyOnWriteArrayList<>();
    private static final Map<Device, GatherRuntime> CHOSEN = new ConcurrentHashMap<>();

    static {
        for (GatherRuntime runtime :
                ServiceLoader.load(GatherRuntime.class, GatherRuntime.class.getClassLoader())) {
            PROVIDERS.add(runtime);
        }
    }

    private GatherRuntimes() {}

    /**
     * Returns the runtime that governs ops whose input lives on the device.
     *
     * @param device the input's device
     * @return the first installed or ServiceLoader-provided runtime that supports the device,
     *     else the built-in runtime
     */
    public static GatherRuntime forDevice(Device device) {
        GatherRuntime runtime = CHOSEN.get(device);
        return runtime != null ? runtime : CHOSEN.computeIfAbsent(device, GatherRuntimes::choose);
    }

    private static GatherRuntime choose(Device device) {
        for (GatherRuntime runtime : PROVIDERS) {
            if (runtime.supports(device)) {
                return runtime;
            }
        }
        return BUILT_IN;
    }

    /**
     * Returns the runtimes installed or found through ServiceLoader, in the order they are asked
     * (the built-in runtime, always last, is not listed).
     *
     * @return an unmodifiable snapshot
     */
    public static List<GatherRuntime> providers() {
        return List.copyOf(PROVIDERS);
    }

    /**
     * Puts a runtime first in line, ahead of the ServiceLoader-provided ones, until the returned
     * handle is closed: for an application's own policy, or to apply a runtime to devices its
     * ServiceLoader registration does not cover (in tests, CPU arrays).
     *
     * @param runtime the runtime; must be thread-safe
     * @return the handle whose {@link Installation#close()} removes the runtime again
     * @throws NullPointerException if {@code runtime} is null
     */
    public static Installation install(GatherRuntime runtime) {
        Objects.requireNonNull(runtime, "install: runtime is null");
        PROVIDERS.add(0, runtime);
        CHOSEN.clear();
        return new Installation(runtime);
    }

    /** An installed runtime; closing it removes the runtime (closing twice does nothing more). */
    public static final class Installation implements AutoCloseable {

        private final GatherRuntime runtime;

        private Installation(GatherRuntime runtime) {
            this.runtime = runtime;
        }

        /**
         * Returns the installed runtime.
         *
         * @return the runtime given to {@link #install(GatherRuntime)}
         */
        public GatherRuntime getRuntime() {
            return runtime;
        }

        /** Removes the runtime; ops choose again on their next call. */
        @Override
        public void close() {
            if (PROVIDERS.remove(runtime)) {
                CHOSEN.clear();
            }
        }
    }
}
