package io.djlgather.ext.internal;

import ai.djl.Device;
import io.djlgather.ext.spi.GatherRuntime;
import io.djlgather.ext.spi.IndexRead;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Picks the {@link GatherRuntime} for a device: the first installed or ServiceLoader-provided
 * runtime that supports it, else the built-in one. The choice is cached per device.
 */
public final class Runtimes {

    /** CPU: PyTorch's kernels check index ranges; elsewhere: check before the kernel runs. */
    static final GatherRuntime BUILT_IN =
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

    private Runtimes() {}

    /** The runtime that governs ops on the device. */
    public static GatherRuntime forDevice(Device device) {
        GatherRuntime runtime = CHOSEN.get(device);
        return runtime != null ? runtime : CHOSEN.computeIfAbsent(device, Runtimes::choose);
    }

    private static GatherRuntime choose(Device device) {
        for (GatherRuntime runtime : PROVIDERS) {
            if (runtime.supports(device)) {
                return runtime;
            }
        }
        return BUILT_IN;
    }

    /** The runtimes found through ServiceLoader or installed, in the order they are asked. */
    public static List<GatherRuntime> providers() {
        return List.copyOf(PROVIDERS);
    }

    /**
     * Puts a runtime first in line (for tests, or an application's own policy), until the
     * returned handle is closed.
     */
    public static AutoCloseable install(GatherRuntime runtime) {
        PROVIDERS.add(0, runtime);
        CHOSEN.clear();
        return () -> {
            PROVIDERS.remove(runtime);
            CHOSEN.clear();
        };
    }
}
