package io.djlgather.cuda;

import ai.djl.Device;
import io.djlgather.ext.spi.Arguments;
import io.djlgather.ext.spi.GatherRuntime;
import io.djlgather.ext.spi.IndexRead;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The CUDA runtime of djl-gather: with this module's jar on the classpath, {@link
 * java.util.ServiceLoader} finds it (it is listed in {@code
 * META-INF/services/io.djlgather.ext.spi.GatherRuntime}) and every op whose input lives on a
 * GPU device ({@code Device.gpu(n)}, any n DJL sees) follows {@link CudaPolicies}:
 *
 * <ul>
 *   <li>{@link IndexCheck#CHECKED} (default): before the kernel reads an index, one fused
 *       min/max reduction on the device and one host sync ({@link IndexRead#check()}); an
 *       out-of-range value throws the same {@link IllegalArgumentException} as on CPU, e.g.
 *       {@code "gather: index is out of range along axis 1; expected values in [0, 4), got 7
 *       (index values span [0, 7])"}, and no device-side assert poisons the CUDA context.
 *   <li>{@link IndexCheck#TRUSTED}: no check, no sync.
 *   <li>Deterministic sums when switched on: scatterAdd, scatterReduce SUM/MEAN, indexAdd and
 *       put with accumulation run
 *       the op library's sort-based segmented sum ({@code *_det} methods), bit-identical from
 *       run to run; otherwise PyTorch's atomic-add kernels, whose float sums vary in their last
 *       bits from run to run.
 * </ul>
 *
 * <p>Ops on CPU arrays are not governed by this runtime (its {@link #supports(Device)} is false
 * for them), so they behave exactly as without the jar. The op library itself is loaded once
 * per device on first use by djl-gather-ext ({@link io.djlgather.ext.spi.OpLibraryMethods}),
 * which this runtime reuses.
 *
 * <p>The runtime counts the index checks it runs and skips ({@link #checksRun()}, {@link
 * #checksSkipped()}): each run check is one host sync, which is what a service tuning
 * {@code TRUSTED} wants to see. Thread-safe.
 */
public final class CudaGatherRuntime implements GatherRuntime {

    private final Predicate<Device> devices;
    private final LongAdder checksRun = new LongAdder();
    private final LongAdder checksSkipped = new LongAdder();

    /** The runtime ServiceLoader makes: it governs GPU devices. */
    public CudaGatherRuntime() {
        this(CudaGatherRuntime::isGpu);
    }

    /**
     * A runtime that governs the devices the predicate accepts. Installed with {@link
     * io.djlgather.ext.spi.GatherRuntimes#install}, it applies the CUDA policies elsewhere too,
     * for example to CPU arrays in tests on machines without a GPU.
     *
     * @param devices which devices to govern
     * @throws IllegalArgumentException if {@code devices} is null
     */
    public CudaGatherRuntime(Predicate<Device> devices) {
        this.devices = Arguments.notNull("CudaGatherRuntime", "devices", devices);
    }

    /** Whether a device is a GPU (DJL's {@code Device.gpu(n)}). */
    static boolean isGpu(Device device) {
        return device != null && Device.Type.GPU.equals(device.getDeviceType());
    }

    @Override
    public boolean supports(Device device) {
        return devices.test(device);
    }

    /**
     * Checks the index when the calling thread's policy is {@link IndexCheck#CHECKED}.
     *
     * @throws IllegalArgumentException if an index value is outside the read's range (CHECKED)
     */
    @Override
    public void beforeIndexRead(IndexRead read) {
        if (CudaPolicies.getIndexCheck() == IndexCheck.CHECKED) {
            checksRun.increment();
            read.check();
        } else {
            checksSkipped.increment();
        }
    }

    /** The calling thread's {@link CudaPolicies#isDeterministic()}. */
    @Override
    public boolean deterministicSums(Device device) {
        return CudaPolicies.isDeterministic();
    }

    /**
     * Returns how many index checks this runtime ran.
     *
     * @return the count since construction; each check is one fused reduction and one host sync
     */
    public long checksRun() {
        return checksRun.sum();
    }

    /**
     * Returns how many index reads this runtime let through unchecked.
     *
     * @return the count since construction of reads under {@link IndexCheck#TRUSTED}
     */
    public long checksSkipped() {
        return checksSkipped.sum();
    }

    @Override
    public String toString() {
        return "CUDA runtime (djl-gather-cuda)";
    }
}
