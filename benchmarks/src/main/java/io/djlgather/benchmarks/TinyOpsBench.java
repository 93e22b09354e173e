package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.Reduction;
import io.djlgather.ext.internal.OpLibrary;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Target 1, call overhead: every GatherOps op on a [3,4] float32 input, against DJL's native
 * {@link NDArray#gather} on the same arrays. Each result is closed inside the benchmark method,
 * as a caller that does not leak would do.
 *
 * <p>Shapes: input, src [3,4]; per-element index [3,4] int64 in [0,4) along axis 1; slice index
 * [4] int64 in [0,4) along axis 1; flat index [3,4] int64 in [0,12). Two diagnostic rows split
 * the overhead: the gather with an int32 index (conversion to int64 included) and the op
 * library's {@code scatter_add} method called directly (no validation, no OpCall).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class TinyOpsBench {

    private NDManager manager;
    private NDArray input;
    private NDArray src;
    private NDArray index;
    private NDArray index32;
    private NDArray slices;
    private NDArray flat;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        input = Data.floats(manager, 3, 4);
        src = Data.floats(manager, 3, 4);
        index = Data.longs(manager, 4, 3, 4);
        index32 = index.toType(DataType.INT32, true);
        slices = Data.longs(manager, 4, 4);
        flat = Data.longs(manager, 12, 3, 4);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        OpLibrary.releaseAll();
    }

    /** The baseline: DJL's own gather (one JNI call). */
    @Benchmark
    public void nativeGather(Blackhole bh) {
        try (NDArray r = input.gather(index, 1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void gather(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, 1, index)) {
            bh.consume(r);
        }
    }

    /** Diagnostic: the same gather with an int32 index, converted to int64 inside the call. */
    @Benchmark
    public void gatherInt32Index(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, 1, index32)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatter(Blackhole bh) {
        try (NDArray r = GatherOps.scatter(input, 1, index, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterValue(Blackhole bh) {
        try (NDArray r = GatherOps.scatter(input, 1, index, 0.5)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterAdd(Blackhole bh) {
        try (NDArray r = GatherOps.scatterAdd(input, 1, index, src)) {
            bh.consume(r);
        }
    }

    /** Diagnostic: the op library's method alone, without validation or OpCall. */
    @Benchmark
    public void scatterAddLibraryOnly(Blackhole bh) {
        try (NDArray r = OpLibrary.forDevice(input.getDevice())
                .run("scatter_add", manager, input, 1, index, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterReduce(Blackhole bh) {
        try (NDArray r = GatherOps.scatterReduce(input, 1, index, src, Reduction.AMAX, true)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void takeAlongAxis(Blackhole bh) {
        try (NDArray r = GatherOps.takeAlongAxis(input, index, 1)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexSelect(Blackhole bh) {
        try (NDArray r = GatherOps.indexSelect(input, 1, slices)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexAdd(Blackhole bh) {
        try (NDArray r = GatherOps.indexAdd(input, 1, slices, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexCopy(Blackhole bh) {
        try (NDArray r = GatherOps.indexCopy(input, 1, slices, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexFill(Blackhole bh) {
        try (NDArray r = GatherOps.indexFill(input, 1, slices, 0.5)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexReduce(Blackhole bh) {
        try (NDArray r = GatherOps.indexReduce(input, 1, slices, src, Reduction.AMAX, true)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void take(Blackhole bh) {
        try (NDArray r = GatherOps.take(input, flat)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void put(Blackhole bh) {
        try (NDArray r = GatherOps.put(input, flat, src, false)) {
            bh.consume(r);
        }
    }
}
