package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.attention.Heads;

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
 * Target 5, head selection (attn [B,H,T,D] = [8,12,128,64] float32, heads [B,T] int64):
 * {@link Heads#selectHeads} (the index broadcast over D as a view) against the same gather with
 * the index materialized to [B,1,T,D] by repeating it, built per call as the tutorial code does,
 * and with that materialized index prebuilt (the gather alone). The setup checks the results
 * agree.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class HeadsBench {

    static final long B = 8;
    static final long H = 12;
    static final long T = 128;
    static final long D = 64;

    private NDManager manager;
    private NDArray attn;
    private NDArray heads;
    private NDArray repeated;

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        attn = Data.floats(manager, B, H, T, D);
        heads = Data.longs(manager, H, B, T);
        repeated = materialize();
        try (NDArray a = Heads.selectHeads(attn, heads); NDArray b = materialized(repeated)) {
            if (!a.contentEquals(b)) {
                throw new IllegalStateException(
                        "HeadsBench: the materialized-index gather does not match selectHeads");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    /** heads [B,T] repeated to a real [B,1,T,D] int64 tensor (B*T*D*8 bytes). */
    private NDArray materialize() {
        try (NDArray view = heads.reshape(B, 1, T, 1)) {
            return view.repeat(3, D);
        }
    }

    private NDArray materialized(NDArray index) {
        try (NDArray g = GatherOps.gather(attn, 1, index)) {
            return g.squeeze(1);
        }
    }

    @Benchmark
    public void broadcastIndex(Blackhole bh) {
        try (NDArray r = Heads.selectHeads(attn, heads)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void materializedIndex(Blackhole bh) {
        try (NDArray index = materialize(); NDArray r = materialized(index)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void materializedIndexPrebuilt(Blackhole bh) {
        try (NDArray r = materialized(repeated)) {
            bh.consume(r);
        }
    }
}
