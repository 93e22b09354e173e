package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * 100,000 op calls, each in its own {@link NDManager} scope, mixing every op with valid and
 * invalid arguments (the error paths allocate too): resident memory must grow by less than 64 MB
 * and no scope may hold an array the caller did not make.
 *
 * <p>Resident memory is read from {@code /proc/self/status} (VmRSS) after a warm-up, so that
 * loading the op library, the JIT and libtorch's allocator reaching their working set do not
 * count, and then at five checkpoints, each after a full GC. Transient arenas (the JIT compiler's,
 * malloc's) move single readings by tens of MB either way; a leak grows with every call, so the
 * growth is the least of the last three checkpoints minus the first reading. Calls: {@code
 * -Ddjlgather.reliability.memoryCalls}.
 */
class NativeMemoryTest {

    static final long MAX_GROWTH_KB = 64 * 1024;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void callsInTheirOwnScopesGrowResidentMemoryByLessThan64Mb() throws Exception {
        int calls = Integer.getInteger("djlgather.reliability.memoryCalls", 100_000);
        CaseGenerator generator = new CaseGenerator(GatherOpsFuzzTest.DEFAULT_SEED + 1, 0.3);
        Case[] pool = new Case[700];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = generator.generate(i);
        }
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            Counts warmUp = run(base, pool, 10_000);
            long before = settledRssKb();
            long heapBefore = Runtime.getRuntime().totalMemory() / 1024;
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            Counts counts = new Counts();
            StringBuilder checkpoints = new StringBuilder();
            long[] rss = new long[5];
            int block = Math.max(1, calls / rss.length);
            for (int k = 0; k < rss.length; k++) {
                run(base, pool, k < rss.length - 1 ? block : calls - k * block, counts);
                rss[k] = settledRssKb();
                checkpoints.append(String.format(" %+.1f", (rss[k] - before) / 1024.0));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            // a leak grows with every call; the JIT's and malloc's transient arenas come and go
            long after = Math.min(rss[2], Math.min(rss[3], rss[4]));
            long heapAfter = Runtime.getRuntime().totalMemory() / 1024;
            long growth = after - before;
            System.out.printf(
                    "reliability: memory calls=%d (each in its own NDManager; %d rejected with IAE)"
                            + " rss-before=%.1fMB rss-after=%.1fMB growth=%.1fMB (limit 64MB; least of the last 3 of 5"
                            + " checkpoints:%s MB; java heap committed %+.1fMB)"
                            + " arrays-left-open=%d time=%.1fs (calling thread cpu %.1fs,"
                            + " %.0f us/call)%n",
                    calls, counts.rejected, before / 1024.0, after / 1024.0, growth / 1024.0,
                    checkpoints, (heapAfter - heapBefore) / 1024.0,
                    warmUp.leftOpen + counts.leftOpen, seconds, cpuSeconds,
                    cpuSeconds * 1e6 / calls);
            assertEquals(0, warmUp.leftOpen + counts.leftOpen, "arrays the ops left open");
            assertTrue(base.getManagedArrays().isEmpty(), "arrays left in the base manager");
            assertEquals(0, resources(base).size(), "scopes left attached to the base manager");
            assertTrue(growth < MAX_GROWTH_KB,
                    "VmRSS grew by " + growth / 1024.0 + " MB over " + calls + " calls");
        }
    }

    /** What a run of calls left behind. */
    private static final class Counts {
        long rejected;
        long leftOpen;
    }

    private static Counts run(NDManager base, Case[] pool, int calls) {
        return run(base, pool, calls, new Counts());
    }

    private static Counts run(NDManager base, Case[] pool, int calls, Counts counts) {
        for (int i = 0; i < calls; i++) {
            Case c = pool[i % pool.length];
            try (NDManager scope = base.newSubManager()) {
                NDArray[] args = c.create(scope);
                NDArray result = null;
                try {
                    result = c.invoke(args[0], args[1], args[2]);
                } catch (IllegalArgumentException e) {
                    counts.rejected++;
                }
                // close what the caller made; whatever is still attached, the op left open
                if (result != null) {
                    result.close();
                }
                for (NDArray arg : args) {
                    if (arg != null) {
                        arg.close();
                    }
                }
                counts.leftOpen += scope.getManagedArrays().size();
            }
        }
        return counts;
    }

    /**
     * Resident memory after a full GC, so that direct buffers DJL made while creating arrays and
     * already dropped do not count.
     */
    static long settledRssKb() throws Exception {
        System.gc();
        Thread.sleep(50);
        System.gc();
        return rssKb();
    }

    /** Resident memory of this process in kB. */
    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** The base manager's attached resources (sub-managers and arrays). */
    @SuppressWarnings("unchecked")
    private static Map<String, AutoCloseable> resources(NDManager manager) throws Exception {
        Field field = BaseNDManager.class.getDeclaredField("resources");
        field.setAccessible(true);
        return (Map<String, AutoCloseable>) field.get(manager);
    }
}
