package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.djlgather.ext.spi.OpLibraryMethods;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Profiling probe, not part of the suite (run it with {@code --include=CrfKernelProbe}): the
 * engine-level cost of the op library's masked {@code crf_log_partition} (B=32, T=64, C=9, all
 * steps real) against a mask-free variant of the same recursion (5 ops per step instead of
 * about 11), both loaded into a private module and run the same way (DJL's public {@code
 * IValueUtils.runMethod}, argument IValues made once), to see how much of the fused CRF's time is
 * per-op dispatch inside TorchScript. Both variants pay the same per-call IValue overhead, a few
 * microseconds against milliseconds of recursion.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class CrfKernelProbe {

    private static final String DENSE =
            "  def crf_log_partition_dense(self: __torch__.Ops, emissions: Tensor,"
                    + " transitions: Tensor, start: Tensor, end: Tensor) -> Tensor:\n"
                    + "    steps = torch.size(emissions, 1)\n"
                    + "    alpha = torch.add(start, torch.select(emissions, 1, 0))\n"
                    + "    for t in range(1, steps):\n"
                    + "      alpha = torch.add(torch.logsumexp(torch.add(torch.unsqueeze(alpha,"
                    + " 2), transitions), [1]), torch.select(emissions, 1, t))\n"
                    + "    return torch.logsumexp(torch.add(alpha, end), [1])\n";

    private NDManager manager;
    private PtSymbolBlock module;
    private IValue[] masked;
    private IValue[] dense;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        manager = Data.manager();
        NDArray e = manager.randomNormal(0, 1, new Shape(32, 64, 9), DataType.FLOAT32);
        NDArray mask = manager.ones(new Shape(32, 64), DataType.BOOLEAN);
        NDArray tr = manager.randomNormal(0, 1, new Shape(9, 9), DataType.FLOAT32);
        NDArray st = manager.randomNormal(0, 1, new Shape(9), DataType.FLOAT32);
        NDArray en = manager.randomNormal(0, 1, new Shape(9), DataType.FLOAT32);
        byte[] archive = OpLibraryMethods.archive(DENSE);
        module = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive),
                true, false);
        masked = new IValue[] {iv(e), iv(mask), iv(tr), iv(st), iv(en)};
        dense = new IValue[] {iv(e), iv(tr), iv(st), iv(en)};
        float a = run("crf_log_partition", masked);
        float b = run("crf_log_partition_dense", dense);
        if (Math.abs(a - b) > 1e-3 * Math.abs(a)) {
            throw new IllegalStateException("CrfKernelProbe: variants differ: " + a + " vs " + b);
        }
    }

    private static IValue iv(NDArray a) {
        return IValue.from((PtNDArray) a);
    }

    private float run(String method, IValue[] args) {
        try (IValue r = IValueUtils.runMethod(module, method, args);
                NDArray out = r.toTensor((PtNDManager) manager)) {
            return out.toFloatArray()[0];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (IValue h : masked) {
            h.close();
        }
        for (IValue h : dense) {
            h.close();
        }
        module.close();
        manager.close();
    }

    private void call(String method, IValue[] args) {
        try (IValue r = IValueUtils.runMethod(module, method, args);
                NDArray out = r.toTensor((PtNDManager) manager)) {
            out.getShape(); // the result is complete once it is an array
        }
    }

    @Benchmark
    public void masked() {
        call("crf_log_partition", masked);
    }

    @Benchmark
    public void dense() {
        call("crf_log_partition_dense", dense);
    }
}
