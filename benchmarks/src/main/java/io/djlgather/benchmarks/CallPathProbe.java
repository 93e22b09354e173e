package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.spi.OpLibraryMethods;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Profiling probe, not part of the suite (run it with {@code --include=CallPathProbe}): splits
 * the cost of one op-library call on [3,4] arrays into its layers, using the library's
 * {@code gather} method, whose kernel is the same as DJL's native gather.
 *
 * <ul>
 *   <li>{@code nativeGather}: DJL's NDArray.gather (one JNI call, one PtNDArray);
 *   <li>{@code library}: the library's method run directly ({@link OpLibraryMethods}: IValues per
 *       call, result as a PtNDArray, no validation);
 *   <li>{@code facade}: GatherOps.scatterAdd through validation and OpCall.
 * </ul>
 *
 * <p>The floor below {@code library}, the engine's run with argument IValues made once, needs
 * djl-gather-ext's internal bridge and is no longer measured here (it measured ~6 µs for an
 * identity method and ~15 µs for scatter_add; see docs/DESIGN.md).
 *
 * <p>{@code optimize=false} switches off libtorch's graph-executor optimization (profiling
 * executor) on the benchmark thread, to see what the executor costs per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class CallPathProbe {

    @Param({"true", "false"})
    public boolean optimize;

    private NDManager manager;
    private NDArray input;
    private NDArray src;
    private NDArray index;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager(); // loads the engine's native library first
        JniUtils.setGraphExecutorOptimize(optimize);
        input = Data.floats(manager, 3, 4);
        src = Data.floats(manager, 3, 4);
        index = Data.longs(manager, 4, 3, 4);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    @Benchmark
    public void nativeGather(Blackhole bh) {
        try (NDArray r = input.gather(index, 1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void library(Blackhole bh) {
        try (NDArray r = OpLibraryMethods.forDevice(input.getDevice())
                .run("gather", manager, input, 1, index)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void libraryScatterAdd(Blackhole bh) {
        try (NDArray r = OpLibraryMethods.forDevice(input.getDevice())
                .run("scatter_add", manager, input, 1, index, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void facadeScatterAdd(Blackhole bh) {
        try (NDArray r = GatherOps.scatterAdd(input, 1, index, src)) {
            bh.consume(r);
        }
    }
}
