package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.cv.Padding;
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
 * two-step gather done correctly and against NDIndex advanced indexing, on channels-first
 * features and on a channels-last layout (the same [B,C,H,W] array as a permuted view of a
 * [B,H,W,C] one, as NHWC data arrives); and {@link PixelGather#sampleBilinear} (ZEROS padding,
 * N = 1024 random sub-pixel points) against the same job composed of DJL ops: four gathers
 * over H*W and the bilinear weights. Every pair gives the same [B,N,C]; the setup checks once
 * that they agree.
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
    /** The same values as {@link #features} laid out channels-last: a [B,C,H,W] view of [B,H,W,C]. */
    private NDArray featuresLast;
    /** [B,N,2] float32 (x, y) sub-pixel points in [0, W-1] x [0, H-1]. */
    private NDArray points;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        features = Data.floats(manager, B, C, H, W);
        ys = Data.longs(manager, H, B, N);
        xs = Data.longs(manager, W, B, N);
        coords = ys.stack(xs, 2); // [B,N,2] as (y, x)
        batch = manager.arange(0, B, 1, DataType.INT64).reshape(B, 1);
        // reshape(-1) copies the permuted view in its logical (B,H,W,C) order (duplicate()
        // would keep the strides, i.e. channels-first memory)
        try (NDArray view = features.transpose(0, 2, 3, 1);
                NDArray flat = view.reshape(-1);
                NDArray nhwc = flat.reshape(B, H, W, C)) {
            featuresLast = nhwc.transpose(0, 3, 1, 2);
        }
        points = Data.floats(manager, B, N, 2).mul(W - 1);
        try (NDArray fused = PixelGather.gatherPixels(featuresLast, coords);
                NDArray adv = advanced(featuresLast);
                NDArray first = PixelGather.gatherPixels(features, coords)) {
            if (!fused.contentEquals(adv) || !fused.contentEquals(first)) {
                throw new IllegalStateException(
                        "PixelBench: channels-last results do not match channels-first ones");
            }
        }
        try (NDArray fused = PixelGather.sampleBilinear(features, points, Padding.ZEROS);
                NDArray composed = bilinearDjl()) {
            if (!fused.allClose(composed, 1e-5, 1e-5, false)) {
                throw new IllegalStateException(
                        "PixelBench: the DJL-op bilinear sample does not match sampleBilinear");
            }
        }
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
        return advanced(features);
    }

    private NDArray advanced(NDArray map) {
        return map.get(new NDIndex("{}, :, {}, {}", batch, ys, xs));
    }

    /**
     * Bilinear sampling (ZEROS padding, grid_sample's align_corners=True) composed of DJL ops as
     * a user would write it: corners floor(x), floor(x)+1 (likewise y), their weights, one gather
     * over the flattened H*W axis per corner (index [B,1,N] broadcast over C), corners outside the
     * map weighted 0.
     */
    private NDArray bilinearDjl() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = points.get(m, new NDIndex(":, :, 0"));
            NDArray y = points.get(m, new NDIndex(":, :, 1"));
            NDArray x0 = x.floor();
            NDArray y0 = y.floor();
            NDArray x1 = x0.add(1);
            NDArray y1 = y0.add(1);
            NDArray flat = features.reshape(B, C, H * W);
            NDArray[][] corners = {
                {y0, x0, x1.sub(x).mul(y1.sub(y))},
                {y0, x1, x.sub(x0).mul(y1.sub(y))},
                {y1, x0, x1.sub(x).mul(y.sub(y0))},
                {y1, x1, x.sub(x0).mul(y.sub(y0))},
            };
            NDArray sum = null;
            for (NDArray[] c : corners) {
                NDArray inside = c[0].gte(0).logicalAnd(c[0].lte(H - 1))
                        .logicalAnd(c[1].gte(0)).logicalAnd(c[1].lte(W - 1));
                NDArray weight = c[2].mul(inside.toType(DataType.FLOAT32, false));
                NDArray linear = c[0].clip(0, H - 1).mul(W).add(c[1].clip(0, W - 1))
                        .toType(DataType.INT64, false);
                NDArray index = linear.expandDims(1).broadcast(new Shape(B, C, N));
                NDArray term = flat.gather(index, 2).mul(weight.expandDims(1));
                sum = sum == null ? term : sum.add(term);
            }
            NDArray result = sum.transpose(0, 2, 1);
            result.attach(manager);
            return result;
        }
    }

    @Benchmark
    public void gatherPixels(Blackhole bh) {
        try (NDArray r = PixelGather.gatherPixels(features, coords)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void gatherPixelsChannelsLast(Blackhole bh) {
        try (NDArray r = PixelGather.gatherPixels(featuresLast, coords)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void ndIndexChannelsLast(Blackhole bh) {
        try (NDArray r = advanced(featuresLast)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void sampleBilinear(Blackhole bh) {
        try (NDArray r = PixelGather.sampleBilinear(features, points, Padding.ZEROS)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void sampleBilinearDjlOps(Blackhole bh) {
        try (NDArray r = bilinearDjl()) {
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
