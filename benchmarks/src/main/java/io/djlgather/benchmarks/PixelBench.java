package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.cv.PixelGather;

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
 * Target 3, pixel gather (features [B,C,H,W] = [8,256,64,64] float32, N = 1024 random int64
 * points per image): {@link PixelGather#gatherPixels} (one gather over H*W) against the
 * two-step gather done correctly and against NDIndex advanced indexing. All three give [B,N,C];
 * the setup checks once that they agree.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class PixelBench {

    static final int B = 8;
    static final int C = 256;
    static final int H = 64;
    static final int W = 64;
    static final int N = 1024;

    private NDManager manager;
    private NDArray features;
    private NDArray coords;
    /** [B,N] rows and columns of the points, and [B,1] batch numbers. */
    private NDArray ys;
    private NDArray xs;
    private NDArray batch;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        features = Data.floats(manager, B, C, H, W);
        ys = Data.longs(manager, H, B, N);
        xs = Data.longs(manager, W, B, N);
        coords = ys.stack(xs, 2); // [B,N,2] as (y, x)
        batch = manager.arange(0, B, 1, DataType.INT64).reshape(B, 1);
        try (NDArray fused = PixelGather.gatherPixels(features, coords);
                NDArray two = twoStep();
                NDArray adv = advanced()) {
            if (!fused.contentEquals(two) || !fused.contentEquals(adv)) {
                throw new IllegalStateException(
                        "PixelBench: the baselines do not match gatherPixels");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    /**
     * The two-step gather done correctly: first whole rows along H with the row index expanded
     * over C and W ([B,C,N,W]: every point's row), then one column of each along W.
     */
    private NDArray twoStep() {
        try (NDArray y4 = ys.reshape(B, 1, N, 1);
                NDArray y = y4.broadcast(new Shape(B, C, N, W));
                NDArray x4 = xs.reshape(B, 1, N, 1);
                NDArray x = x4.broadcast(new Shape(B, C, N, 1));
                NDArray rows = features.gather(y, 2); // [B,C,N,W]
                NDArray picked = rows.gather(x, 3); // [B,C,N,1]
                NDArray flat = picked.reshape(B, C, N)) {
            return flat.transpose(0, 2, 1);
        }
    }

    /** NDIndex advanced indexing: features[b, :, y, x] with b [B,1], y and x [B,N]. */
    private NDArray advanced() {
        return features.get(new NDIndex("{}, :, {}, {}", batch, ys, xs));
    }

    @Benchmark
    public void gatherPixels(Blackhole bh) {
        try (NDArray r = PixelGather.gatherPixels(features, coords)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void twoStepGather(Blackhole bh) {
        try (NDArray r = twoStep()) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void ndIndex(Blackhole bh) {
        try (NDArray r = advanced()) {
            bh.consume(r);
        }
    }
}
