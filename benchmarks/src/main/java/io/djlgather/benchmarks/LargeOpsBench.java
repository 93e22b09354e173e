package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * Target 2, large arrays: 2^24 float32 elements ([4096,4096]) with random int64 indices.
 * GatherOps.gather against DJL's native gather, and every op's bandwidth against
 * {@link NDArray#duplicate()} (a plain copy) measured in the same run.
 *
 * <p>Shapes: input, src [4096,4096]; per-element index [4096,4096] in [0,4096) along axis 1;
 * slice index [4096] in [0,4096) along axis 0 (with repeats); flat index [4096,4096] in
 * [0,2^24). The bytes each op moves are counted in {@link Report}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class LargeOpsBench {

    static final int SIDE = 4096;

    private NDManager manager;
    private NDArray input;
    private NDArray src;
    private NDArray index;
    private NDArray slices;
    private NDArray flat;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        input = Data.floats(manager, SIDE, SIDE);
        src = Data.floats(manager, SIDE, SIDE);
        index = Data.longs(manager, SIDE, SIDE, SIDE);
        slices = Data.longs(manager, SIDE, SIDE);
        flat = Data.longs(manager, (long) SIDE * SIDE, SIDE, SIDE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        OpLibrary.releaseAll();
    }

    /** The bandwidth reference: a plain copy (reads 4N bytes, writes 4N bytes). */
    @Benchmark
    public void copy(Blackhole bh) {
        try (NDArray r = input.duplicate()) {
            bh.consume(r);
        }
    }

    /** The time reference: DJL's own gather. */
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
        try (NDArray r = GatherOps.indexSelect(input, 0, slices)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexAdd(Blackhole bh) {
        try (NDArray r = GatherOps.indexAdd(input, 0, slices, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexCopy(Blackhole bh) {
        try (NDArray r = GatherOps.indexCopy(input, 0, slices, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexFill(Blackhole bh) {
        try (NDArray r = GatherOps.indexFill(input, 0, slices, 0.5)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexReduce(Blackhole bh) {
        try (NDArray r = GatherOps.indexReduce(input, 0, slices, src, Reduction.AMAX, true)) {
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
