package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.Reduction;
import io.djlgather.ext.spi.OpLibraryMethods;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Target 1, call overhead: every GatherOps op on a [3,4] float32 input, against DJL's native
 * {@link NDArray#gather} on the same arrays (the benchmarks of {@link OpFamilyBench}). Each
 * result is closed inside the benchmark method, as a caller that does not leak would do.
 *
 * <p>Shapes: input, src [3,4]; per-element index [3,4] int64 in [0,4) along axis 1; slice index
 * [4] int64 in [0,4) along axis 1; flat index [3,4] int64 in [0,12). Two diagnostic rows split
 * the overhead: the gather with an int32 index (conversion to int64 included: PyTorch's gather
 * takes int64 only) and the op library's {@code scatter_add} method called directly (no
 * validation, no OpCall). indexSelect, indexAdd and indexReduce also run with an int32 index,
 * which their kernels read without a conversion (target: within 1.1x of the int64 call).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class TinyOpsBench extends OpFamilyBench {

    private NDArray index32;
    private NDArray slices32;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        input = Data.floats(manager, 3, 4);
        src = Data.floats(manager, 3, 4);
        index = Data.longs(manager, 4, 3, 4);
        axis = 1;
        index32 = index.toType(DataType.INT32, true);
        slices = Data.longs(manager, 4, 4);
        slices32 = slices.toType(DataType.INT32, true);
        sliceAxis = 1;
        flat = Data.longs(manager, 12, 3, 4);
    }

    /** Diagnostic: the same gather with an int32 index, converted to int64 inside the call. */
    @Benchmark
    public void gatherInt32Index(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, axis, index32)) {
            bh.consume(r);
        }
    }

    /** indexSelect with an int32 index, which index_select reads as it is. */
    @Benchmark
    public void indexSelectInt32Index(Blackhole bh) {
        try (NDArray r = GatherOps.indexSelect(input, sliceAxis, slices32)) {
            bh.consume(r);
        }
    }

    /** indexAdd with an int32 index, which index_add reads as it is. */
    @Benchmark
    public void indexAddInt32Index(Blackhole bh) {
        try (NDArray r = GatherOps.indexAdd(input, sliceAxis, slices32, src)) {
            bh.consume(r);
        }
    }

    /** indexReduce with an int32 index, which index_reduce reads as it is. */
    @Benchmark
    public void indexReduceInt32Index(Blackhole bh) {
        try (NDArray r =
                GatherOps.indexReduce(input, sliceAxis, slices32, src, Reduction.AMAX, true)) {
            bh.consume(r);
        }
    }

    /** Diagnostic: the op library's method alone, without validation or OpCall. */
    @Benchmark
    public void scatterAddLibraryOnly(Blackhole bh) {
        try (NDArray r = OpLibraryMethods.forDevice(input.getDevice())
                .run("scatter_add", manager, input, axis, index, src)) {
            bh.consume(r);
        }
    }
}
