package io.djlgather.ext.spi;

import ai.djl.Device;

/**
 * Device-specific behaviour of the op family, found through {@link java.util.ServiceLoader}.
 *
 * <p>A jar that lists an implementation in
 * {@code META-INF/services/io.djlgather.ext.spi.GatherRuntime} takes over the devices its
 * {@link #supports(Device)} accepts; djl-gather-cuda does so for CUDA devices. Where no provider
 * supports a device, the built-in runtime applies: on CPU, PyTorch's kernels check index ranges
 * themselves and their errors become {@link IllegalArgumentException}s; on any other device,
 * every index is checked before the kernel runs ({@link IndexRead#check()}), because an
 * out-of-range index on an accelerator can fail asynchronously and poison the device context.
 *
 * <p>Implementations must be thread-safe and cheap: their methods run on every op call.
 */
public interface GatherRuntime {

    /**
     * Whether this runtime governs ops whose input lives on the device.
     *
     * @param device the input's device
     * @return true to take the device over
     */
    boolean supports(Device device);

    /**
     * Called before a kernel reads the values of an index. Implementations either return (the
     * kernel may read it) or throw the {@link IllegalArgumentException} of {@link
     * IndexRead#check()}.
     *
     * @param read the index about to be read, and its valid range
     */
    void beforeIndexRead(IndexRead read);

    /**
     * Whether sums (scatterAdd, scatterReduce with SUM or MEAN, indexAdd, put with
     * accumulation) on this device use the
     * deterministic, sort-based implementation: bit-identical results from run to run, at some
     * cost. The built-in runtime returns false: PyTorch's CPU kernels already sum in a fixed
     * order.
     *
     * @param device the input's device
     * @return true to use the deterministic implementation
     */
    default boolean deterministicSums(Device device) {
        return false;
    }
}
