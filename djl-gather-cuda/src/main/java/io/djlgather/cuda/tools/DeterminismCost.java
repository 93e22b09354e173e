package io.djlgather.cuda.tools;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.cuda.CudaGatherRuntime;
import io.djlgather.cuda.CudaPolicies;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.spi.GatherRuntimes;

import java.util.Random;

/**
 * Measures what deterministic sums cost against the default: scatterAdd of float32 values onto
 * a few hot targets, minimum and median time per call with deterministic sums off and on (the
 * minimum is the cost; the median also shows the noise of a busy machine).
 *
 * <pre>
 * mvn -q -pl djl-gather-cuda -am compile exec:java \
 *     -Dexec.mainClass=io.djlgather.cuda.tools.DeterminismCost -Dexec.args="cpu"
 * </pre>
 *
 * <p>The argument is {@code cpu} (the CUDA runtime is installed for the CPU, so the same code
 * path runs) or {@code gpu} (needs a CUDA build of libtorch). A rough measurement for the
 * README; the benchmarks module holds the JMH one.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
public final class DeterminismCost {

    private static final int WARMUP = 60;

    private DeterminismCost() {}

    /**
     * Prints one line per size: elements, targets, median microseconds plain and deterministic.
     *
     * @param args {@code cpu} or {@code gpu}
     * @throws Exception if the runtime cannot be installed or removed
     */
    public static void main(String[] args) throws Exception {
        Device device = args.length > 0 && args[0].startsWith("gpu") ? Device.gpu() : Device.cpu();
        try (GatherRuntimes.Installation installed =
                        GatherRuntimes.install(new CudaGatherRuntime(device::equals));
                NDManager m = NDManager.newBaseManager(device)) {
            System.out.println("device " + device + ": scatterAdd float32, us per call,"
                    + " minimum and median over the runs");
            System.out.println("elements  targets  plain_min  det_min  ratio  plain_med  det_med  ratio");
            int[][] sizes = {{1_000, 10}, {100_000, 10}, {100_000, 10_000}, {1_000_000, 1_000}};
            for (int[] size : sizes) {
                Random random = new Random(1);
                float[] src = new float[size[0]];
                long[] index = new long[size[0]];
                for (int i = 0; i < src.length; i++) {
                    src[i] = (float) random.nextGaussian();
                    index[i] = random.nextInt(size[1]);
                }
                NDArray s = m.create(src);
                NDArray ix = m.create(index);
                NDArray input = m.zeros(new Shape(size[1]));
                double[] plain = times(input, ix, s, false);
                double[] det = times(input, ix, s, true);
                System.out.printf("%8d  %7d  %9.1f  %7.1f  %5.2f  %9.1f  %7.1f  %5.2f%n",
                        size[0], size[1], plain[0], det[0], det[0] / plain[0],
                        plain[1], det[1], det[1] / plain[1]);
            }
        }
    }

    /** {minimum, median} microseconds per call. */
    private static double[] times(NDArray input, NDArray index, NDArray src, boolean det) {
        int runs = src.size() >= 1_000_000 ? 15 : 41;
        double[] times = new double[runs];
        try (CudaPolicies.Scope scope = CudaPolicies.deterministic(det)) {
            // the first calls of a TorchScript method run under the graph executor's profiling
            // and optimization (tens of ms each): warm up past them
            for (int i = -WARMUP; i < runs; i++) {
                long start = System.nanoTime();
                try (NDArray out = GatherOps.scatterAdd(input, 0, index, src)) {
                    out.toFloatArray(); // waits for the device
                }
                if (i >= 0) {
                    times[i] = (System.nanoTime() - start) / 1e3;
                }
            }
        }
        java.util.Arrays.sort(times);
        return new double[] {times[0], times[runs / 2]};
    }
}
