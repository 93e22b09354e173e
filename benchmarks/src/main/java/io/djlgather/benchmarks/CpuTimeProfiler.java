package io.djlgather.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * Adds to every measurement iteration the benchmark JVM's CPU time per call ({@value #LABEL},
 * ns/op): the process's CPU time over the iteration divided by the calls it measured. With one
 * PyTorch thread the call runs on the benchmark thread alone, so on an idle machine this equals
 * the wall time; on a machine shared with other jobs it leaves out the time the thread waited
 * for a core, which wall time counts. JIT and GC threads are included (small in steady state).
 */
public final class CpuTimeProfiler implements InternalProfiler {

    /** The secondary result's label in JMH's output. */
    static final String LABEL = "cpu";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long before;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long spent = os.getProcessCpuTime() - before;
        long ops = result.getMetadata().getMeasuredOps();
        if (ops <= 0 || spent < 0) {
            return List.of();
        }
        return List.of(new ScalarResult(LABEL, (double) spent / ops, "ns/op",
                AggregationPolicy.AVG));
    }
}
