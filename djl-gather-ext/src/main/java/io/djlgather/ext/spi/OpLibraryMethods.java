package io.djlgather.ext.spi;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.internal.Checks;
import io.djlgather.ext.internal.OpLibrary;
import io.djlgather.ext.internal.TorchScriptArchive;

/**
 * The op library's TorchScript methods by name, for code that works on the library itself
 * rather than through {@link io.djlgather.ext.GatherOps}: runtimes and their tests (the
 * deterministic sums of djl-gather-cuda), tools that export the library for Python, and
 * benchmarks that measure a method without the facade's validation.
 *
 * <p>The op library is one TorchScript module per device, loaded on first use and shared by all
 * threads; {@link io.djlgather.ext.GatherOps#releaseOpLibraries()} or {@link #release(Device)}
 * frees it and the next call loads it again.
 *
 * <p>{@link #run(String, NDManager, Object...)} checks nothing: the method's own TorchScript
 * signature decides what it accepts, and a mismatch fails inside libtorch. Its result is attached
 * to the manager the caller names (it must be a PyTorch engine manager on the library's device).
 */
public final class OpLibraryMethods {

    private final Device device;

    private OpLibraryMethods(Device device) {
        this.device = device;
    }

    /**
     * Returns the methods of the op library on a device; the library loads on the first run.
     *
     * @param device the device whose library runs the methods
     * @return a handle to run the library's methods on that device
     * @throws IllegalArgumentException if {@code device} is null
     */
    public static OpLibraryMethods forDevice(Device device) {
        return new OpLibraryMethods(Checks.notNull("OpLibraryMethods", "device", device));
    }

    /**
     * Returns the device the methods run on.
     *
     * @return the device given to {@link #forDevice(Device)}
     */
    public Device getDevice() {
        return device;
    }

    /**
     * Runs a method that returns one tensor.
     *
     * @param method the method's name in the TorchScript source
     * @param manager the result's manager (PyTorch engine, on this device)
     * @param args in the method's order: {@link NDArray} (PyTorch engine), {@link Integer} or
     *     {@link Long} (int), {@link Double} or {@link Float} (float), {@link Boolean} (bool),
     *     {@link String} (str)
     * @return the result, attached to {@code manager}
     */
    public NDArray run(String method, NDManager manager, Object... args) {
        return OpLibrary.forDevice(device).run(method, manager, args);
    }

    /**
     * Runs a method that returns a tuple of tensors.
     *
     * @param method the method's name in the TorchScript source
     * @param manager the results' manager (PyTorch engine, on this device)
     * @param args as for {@link #run(String, NDManager, Object...)}
     * @return the results, attached to {@code manager}
     */
    public NDList runTuple(String method, NDManager manager, Object... args) {
        return OpLibrary.forDevice(device).runTuple(method, manager, args);
    }

    /**
     * Returns whether the op library is loaded on a device.
     *
     * @param device the device
     * @return true after the first op or run on the device, until it is released
     */
    public static boolean isLoaded(Device device) {
        return OpLibrary.isLoaded(device);
    }

    /**
     * Frees the op library of one device; the next op on that device loads it again.
     *
     * @param device the device
     */
    public static void release(Device device) {
        OpLibrary.release(device);
    }

    /**
     * Returns the TorchScript source of the library's methods, as compiled by libtorch.
     *
     * @return the methods' source, each method indented by two spaces
     */
    public static String source() {
        return OpLibrary.source();
    }

    /**
     * Returns the op library as a TorchScript module archive: the bytes that libtorch loads, and
     * that Python's {@code torch.jit.load} loads too.
     *
     * @return the zip archive
     */
    public static byte[] archive() {
        return TorchScriptArchive.write(OpLibrary.source());
    }

    /**
     * Returns a module archive with the library's methods followed by further methods, for
     * experiments that compare a variant of a method against the library's own.
     *
     * @param extraMethods method definitions in the library's serialized form ({@code def
     *     name(self: __torch__.Ops, x: Tensor) -> Tensor:}, two-space indents)
     * @return the zip archive
     * @throws IllegalArgumentException if {@code extraMethods} is null
     */
    public static byte[] archive(String extraMethods) {
        Checks.notNull("archive", "extraMethods", extraMethods);
        return TorchScriptArchive.write(OpLibrary.source() + "\n" + extraMethods);
    }
}
