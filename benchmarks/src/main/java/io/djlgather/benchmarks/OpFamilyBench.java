package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.Reduction;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The benchmarks shared by {@link TinyOpsBench} and {@link LargeOpsBench}: DJL's native gather
 * and one call of every GatherOps op, each result closed inside the benchmark method as a caller
 * that does not leak would do. A concrete {@code @State} subclass fills the fields in its
 * {@code @Setup}; JMH names each inherited benchmark by that subclass
 * ({@code TinyOpsBench.scatterAdd}, {@code LargeOpsBench.scatterAdd}).
 *
 * <p>Per-element ops (gather, scatter, takeAlongAxis) use {@link #index} along {@link #axis};
 * slice ops (index*) use {@link #slices} along {@link #sliceAxis}; flat ops (take, put) use
 * {@link #flat}. Every op that takes a src uses {@link #src}.
 */
public abstract class OpFamilyBench {

    /** Owns every array below; closed after the trial. */
    protected NDManager manager;
    /** The float32 input every op reads. */
    protected NDArray input;
    /** The float32 src of the scatter, index and put ops. */
    protected NDArray src;
    /** The per-element int64 index, along {@link #axis}. */
    protected NDArray index;
    /** The axis of the per-element ops. */
    protected int axis;
    /** The int64 slice index of the index* ops, along {@link #sliceAxis}. */
    protected NDArray slices;
    /** The axis of the index* ops. */
    protected int sliceAxis;
    /** The int64 flat index of take and put, into the flattened input. */
    protected NDArray flat;

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    /** The reference: DJL's own gather (one JNI call) on the same arrays. */
    @Benchmark
    public void nativeGather(Blackhole bh) {
        try (NDArray r = input.gather(index, axis)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void gather(Blackhole bh) {
        try (NDArray r = GatherOps.gather(input, axis, index)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatter(Blackhole bh) {
        try (NDArray r = GatherOps.scatter(input, axis, index, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterValue(Blackhole bh) {
        try (NDArray r = GatherOps.scatter(input, axis, index, 0.5)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterAdd(Blackhole bh) {
        try (NDArray r = GatherOps.scatterAdd(input, axis, index, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterReduce(Blackhole bh) {
        try (NDArray r = GatherOps.scatterReduce(input, axis, index, src, Reduction.AMAX, true)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void takeAlongAxis(Blackhole bh) {
        try (NDArray r = GatherOps.takeAlongAxis(input, index, axis)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexSelect(Blackhole bh) {
        try (NDArray r = GatherOps.indexSelect(input, sliceAxis, slices)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexAdd(Blackhole bh) {
        try (NDArray r = GatherOps.indexAdd(input, sliceAxis, slices, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexCopy(Blackhole bh) {
        try (NDArray r = GatherOps.indexCopy(input, sliceAxis, slices, src)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexFill(Blackhole bh) {
        try (NDArray r = GatherOps.indexFill(input, sliceAxis, slices, 0.5)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void indexReduce(Blackhole bh) {
        try (NDArray r =
                GatherOps.indexReduce(input, sliceAxis, slices, src, Reduction.AMAX, true)) {
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
