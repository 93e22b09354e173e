package io.djlgather.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.GroupOps;
import io.djlgather.ext.Reduction;

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

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The grouped reductions ({@link GroupOps}) beside the closest PyTorch op on the same data:
 * rows of src [N,F] float32 pooled into G groups by sorted group ids [N] (as graph pooling does).
 * {@code tiny}: N=3, F=4, G=2; {@code large}: N=2^18, F=16, G=4096 (16 MiB of src).
 *
 * <p>Pairs: scatter SUM / segmentCsr SUM / segmentCoo SUM vs {@code torch.index_add} (indexAdd
 * into zeros); scatter MEAN and AMAX vs {@code torch.scatter_reduce} (scatterReduce into zeros,
 * with the index materialized to [N,F] as it needs); scatterMax (values and arg) vs the same
 * AMAX; scatterSoftmax and scatterLogSumExp vs a softmax over the whole axis (DJL's native
 * {@code softmax}, a lower bound: one group); gatherCsr / gatherCoo vs {@code
 * torch.index_select}. The setup checks that each pair agrees.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class GroupBench {

    @Param({"tiny", "large"})
    public String size;

    private NDManager manager;
    private NDArray src;
    private NDArray ids;
    private NDArray fullIds;
    private NDArray indptr;
    private NDArray zeros;
    private NDArray perGroup;
    private long groups;

    @Setup(Level.Trial)
    public void setUp() {
        boolean tiny = size.equals("tiny");
        int n = tiny ? 3 : 1 << 18;
        int f = tiny ? 4 : 16;
        groups = tiny ? 2 : 4096;
        manager = Data.manager();
        src = Data.floats(manager, n, f);
        Random random = new Random(Data.SEED);
        long[] id = new long[n];
        for (int i = 0; i < n; i++) {
            id[i] = random.nextInt((int) groups);
        }
        id[0] = groups - 1; // every size uses all G groups in the output
        Arrays.sort(id);
        long[] ptr = new long[(int) groups + 1];
        for (long g : id) {
            ptr[(int) g + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            ptr[g + 1] += ptr[g];
        }
        ids = manager.create(id);
        indptr = manager.create(ptr);
        try (NDArray column = ids.reshape(n, 1)) {
            fullIds = column.repeat(1, f);
        }
        zeros = manager.zeros(new Shape(groups, f));
        perGroup = Data.floats(manager, groups, f);
        check(GroupOps.scatter(src, ids, 0, groups, Reduction.SUM),
                GatherOps.indexAdd(zeros, 0, ids, src), "scatter SUM vs indexAdd");
        check(GroupOps.segmentCsr(src, indptr, Reduction.SUM),
                GatherOps.indexAdd(zeros, 0, ids, src), "segmentCsr SUM vs indexAdd");
        check(GroupOps.scatter(src, ids, 0, groups, Reduction.AMAX),
                GatherOps.scatterReduce(zeros, 0, fullIds, src, Reduction.AMAX, false),
                "scatter AMAX vs scatterReduce");
        check(GroupOps.gatherCoo(perGroup, ids), GatherOps.indexSelect(perGroup, 0, ids),
                "gatherCoo vs indexSelect");
        check(GroupOps.gatherCsr(perGroup, indptr), GatherOps.indexSelect(perGroup, 0, ids),
                "gatherCsr vs indexSelect");
    }

    private static void check(NDArray a, NDArray b, String what) {
        try (a; b) {
            if (!a.allClose(b, 1e-4, 1e-5, false)) {
                throw new IllegalStateException("GroupBench: " + what + " disagree");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    // ---------------------------------------------------------------------------------------
    // sums

    @Benchmark
    public void scatterSum(Blackhole bh) {
        try (NDArray r = GroupOps.scatter(src, ids, 0, groups, Reduction.SUM)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void segmentCsrSum(Blackhole bh) {
        try (NDArray r = GroupOps.segmentCsr(src, indptr, Reduction.SUM)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void segmentCooSum(Blackhole bh) {
        try (NDArray r = GroupOps.segmentCoo(src, ids, groups, Reduction.SUM)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void torchIndexAdd(Blackhole bh) {
        try (NDArray r = GatherOps.indexAdd(zeros, 0, ids, src)) {
            bh.consume(r);
        }
    }

    // ---------------------------------------------------------------------------------------
    // mean and max

    @Benchmark
    public void scatterMean(Blackhole bh) {
        try (NDArray r = GroupOps.scatter(src, ids, 0, groups, Reduction.MEAN)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void torchScatterReduceMean(Blackhole bh) {
        try (NDArray r = GatherOps.scatterReduce(zeros, 0, fullIds, src, Reduction.MEAN, false)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterAmax(Blackhole bh) {
        try (NDArray r = GroupOps.scatter(src, ids, 0, groups, Reduction.AMAX)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterMaxWithArg(Blackhole bh) {
        try (GroupOps.ArgReduced r = GroupOps.scatterMax(src, ids, 0, groups)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void torchScatterReduceAmax(Blackhole bh) {
        try (NDArray r = GatherOps.scatterReduce(zeros, 0, fullIds, src, Reduction.AMAX, false)) {
            bh.consume(r);
        }
    }

    // ---------------------------------------------------------------------------------------
    // softmax family

    @Benchmark
    public void scatterSoftmax(Blackhole bh) {
        try (NDArray r = GroupOps.scatterSoftmax(src, ids, 0)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void scatterLogSumExp(Blackhole bh) {
        try (NDArray r = GroupOps.scatterLogSumExp(src, ids, 0, groups)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void torchSoftmaxWholeAxis(Blackhole bh) {
        try (NDArray r = src.softmax(0)) {
            bh.consume(r);
        }
    }

    // ---------------------------------------------------------------------------------------
    // the inverses

    @Benchmark
    public void gatherCsr(Blackhole bh) {
        try (NDArray r = GroupOps.gatherCsr(perGroup, indptr)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void gatherCoo(Blackhole bh) {
        try (NDArray r = GroupOps.gatherCoo(perGroup, ids)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void torchIndexSelect(Blackhole bh) {
        try (NDArray r = GatherOps.indexSelect(perGroup, 0, ids)) {
            bh.consume(r);
        }
    }
}
