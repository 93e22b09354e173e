package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.GatherOps;

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
 * Target 6, scaling: gather and scatterAdd on a 1-D float32 array of N = 2^log2n elements with
 * an int64 index of N random positions in [0, N), for N = 2^10 ... 2^24. Time per element
 * against N shows where the per-call floor ends and the cost turns linear.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ScalingBench {

    /** All sizes; {@link BenchMain}'s quick mode passes every other one. */
    @Param({"10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
        "24"})
    public int log2n;

    private NDManager manager;
    private NDArray input;
    private NDArray src;
    private NDArray index;

    @Setup(Level.Trial)
    public void setUp() {
        long n = 1L << log2n;
        manager = Data.manager();
        input = Data.floats(manager, n);
        src = Data.floats(manager, n);
        index = Data.longs(manager, n, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    @Benchmark
    public void gather(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, 0, index)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterAdd(Blackhole bh) {
        try (NDArray r = GatherOps.scatterAdd(input, 0, index, src)) {
            bh.consume(r);
        }
    }
}
