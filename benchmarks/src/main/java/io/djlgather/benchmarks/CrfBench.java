package io.djlgather.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.djlgather.ext.GatherOps;
import io.djlgather.ext.nlp.CrfBlock;
import io.djlgather.ext.nlp.CrfLoss;

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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Target 4, CRF (B=32, T=64, C=9, float32, no padding): CrfBlock's fused log partition and
 * Viterbi (one TorchScript call each) against {@link OpByOpCrf}, a Java loop over T of DJL
 * NDArray ops, and a training step (CrfLoss forward and backward). BenchMain compares the same
 * three with pytorch-crf's algorithm in eager PyTorch ({@code python/crf_reference.py}). The setup checks once that both give the same results, so the comparison is of
 * equal work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class CrfBench {

    static final int B = 32;
    static final int T = 64;
    static final int C = 9;

    private NDManager manager;
    private NDArray emissions;
    private NDArray transitions;
    private NDArray start;
    private NDArray end;
    /** Copies that require gradient (emissions, transitions, start, end), for trainingStep. */
    private NDList trainable;
    /** Gold tags [B,T] int64 for trainingStep. */
    private NDList gold;
    private final CrfLoss loss = new CrfLoss();

    @Setup(Level.Trial)
    public void setUp() {
        manager = Data.manager();
        emissions = manager.randomNormal(0, 1, new Shape(B, T, C), DataType.FLOAT32);
        transitions = manager.randomNormal(0, 1, new Shape(C, C), DataType.FLOAT32);
        start = manager.randomNormal(0, 1, new Shape(C), DataType.FLOAT32);
        end = manager.randomNormal(0, 1, new Shape(C), DataType.FLOAT32);
        try (NDArray fused = CrfBlock.logPartition(emissions, null, transitions, start, end);
                NDArray loop = OpByOpCrf.logPartition(emissions, transitions, start, end)) {
            if (!fused.allClose(loop, 1e-4, 1e-4, false)) {
                throw new IllegalStateException("CrfBench: the op-by-op log partition differs"
                        + " from the fused one: " + Arrays.toString(loop.toFloatArray()) + " vs "
                        + Arrays.toString(fused.toFloatArray()));
            }
        }
        try (CrfBlock.Decoded fused = CrfBlock.viterbiDecode(emissions, null, transitions, start,
                end);
                NDList loop = OpByOpCrf.viterbi(emissions, transitions, start, end)) {
            if (!Arrays.equals(fused.paths().toLongArray(), loop.get(0).toLongArray())
                    || !fused.scores().allClose(loop.get(1), 1e-4, 1e-4, false)) {
                throw new IllegalStateException(
                        "CrfBench: the op-by-op Viterbi differs from the fused one");
            }
        }
        setUpTraining();
    }

    private void setUpTraining() {
        NDArray[] copies = {emissions.duplicate(), transitions.duplicate(), start.duplicate(),
            end.duplicate()};
        for (NDArray a : copies) {
            a.setRequiresGradient(true);
        }
        trainable = new NDList(copies);
        gold = new NDList(manager.randomInteger(0, C, new Shape(B, T), DataType.INT64));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        GatherOps.releaseOpLibraries();
    }

    @Benchmark
    public void logPartitionFused(Blackhole bh) {
        try (NDArray r = CrfBlock.logPartition(emissions, null, transitions, start, end)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void logPartitionLoop(Blackhole bh) {
        try (NDArray r = OpByOpCrf.logPartition(emissions, transitions, start, end)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void viterbiFused(Blackhole bh) {
        try (CrfBlock.Decoded r = CrfBlock.viterbiDecode(emissions, null, transitions, start,
                end)) {
            bh.consume(r);
        }
    }

    @Benchmark
    public void viterbiLoop(Blackhole bh) {
        try (NDList r = OpByOpCrf.viterbi(emissions, transitions, start, end)) {
            bh.consume(r);
        }
    }

    /**
     * One training step of a CRF output layer: CrfLoss (mean NLL: the forward algorithm and the
     * gold-path score) and its backward pass to the emissions and the three parameters.
     */
    @Benchmark
    public void trainingStep(Blackhole bh) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDArray nll = loss.evaluate(gold, trainable)) {
            collector.backward(nll);
            bh.consume(nll);
        }
    }
}
