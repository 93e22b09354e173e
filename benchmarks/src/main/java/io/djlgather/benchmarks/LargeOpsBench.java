package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;

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
 * Target 2, large arrays: 2^24 float32 elements ([4096,4096]) with random int64 indices.
 * GatherOps.gather against DJL's native gather, and every op's bandwidth against
 * {@link NDArray#duplicate()} (a plain copy) measured in the same run (the op benchmarks are
 * those of {@link OpFamilyBench}).
 *
 * <p>Shapes: input, src [4096,4096]; per-element index [4096,4096] in [0,4096) along axis 1;
 * slice index [4096] in [0,4096) along axis 0 (with repeats); flat index [4096,4096] in
 * [0,2^24). The bytes each op moves are counted in {@link Report}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class LargeOpsBench extends OpFamilyBench {

    static final int SIDE = 4096;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        input = Data.floats(manager, SIDE, SIDE);
        src = Data.floats(manager, SIDE, SIDE);
        index = Data.longs(manager, SIDE, SIDE, SIDE);
        axis = 1;
        slices = Data.longs(manager, SIDE, SIDE);
        sliceAxis = 0;
        flat = Data.longs(manager, (long) SIDE * SIDE, SIDE, SIDE);
    }

    /** The bandwidth reference: a plain copy (reads 4N bytes, writes 4N bytes). */
    @Benchmark
    public void copy(Blackhole bh) {
        try (NDArray r = input.duplicate()) {
            bh.consume(r);
        }
    }
}
