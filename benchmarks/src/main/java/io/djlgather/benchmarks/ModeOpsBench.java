package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.IndexMode;

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
 * Out-of-range modes: gather under CLIP and FILL and scatterAdd under DROP, each beside the same
 * op without a mode (ERROR) and DJL's native gather, on a tiny and a large case.
 *
 * <p>Shapes ({@code size}): tiny: input, src [3,4] float32, index [3,4] int64 along axis 1;
 * large: input, src [4096,4096] float32, index [4096,4096] int64 along axis 1. The ERROR-mode
 * ops read an index in [0, n); the moded ops an index in [-k, n + k) with k = 1 (tiny) or 64
 * (large), so that about 3% (large) to 33% (tiny) of the values are out of range. The cost of a
 * mode does not depend on how many values are out of range (no data-dependent branch, no host
 * sync): it is the clamp or mask ops (and for DROP the padded copy) around the same kernel.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class ModeOpsBench {

    @Param({"tiny", "large"})
    public String size;

    private NDManager manager;
    private NDArray input;
    private NDArray src;
    private NDArray index;
    private NDArray wild;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        boolean tiny = "tiny".equals(size);
        long rows = tiny ? 3 : LargeOpsBench.SIDE;
        long n = tiny ? 4 : LargeOpsBench.SIDE;
        long k = tiny ? 1 : 64;
        input = Data.floats(manager, rows, n);
        src = Data.floats(manager, rows, n);
        index = Data.longs(manager, n, rows, n);
        try (NDArray shifted = Data.longs(manager, n + 2 * k, rows, n)) {
            wild = shifted.sub(k);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    /** The reference: DJL's own gather on the in-range index. */
    @Benchmark
    public void nativeGather(Blackhole bh) {
        try (NDArray r = input.gather(index, 1)) {
            bh.consume(r);
        }
    }

    /** gather without a mode (ERROR), in-range index. */
    @Benchmark
    public void gather(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, 1, index)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void gatherClip(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, 1, wild, IndexMode.CLIP)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void gatherFill(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, 1, wild, IndexMode.fill(0))) {
            bh.consume(r);
        }
    }

    /** scatterAdd without a mode (ERROR), in-range index. */
    @Benchmark
    public void scatterAdd(Blackhole bh) {
        try (NDArray r = GatherOps.scatterAdd(input, 1, index, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterAddDrop(Blackhole bh) {
        try (NDArray r = GatherOps.scatterAdd(input, 1, wild, src, IndexMode.DROP)) {
            bh.consume(r);
        }
    }
}
