package io.djlgather.ext.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlgather.ext.internal.OpLibrary;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * 8 threads call a mix of ops (valid calls and calls that fail in Java checks or in the kernel)
 * on inputs they all share, starting together on a freshly released op library: every result and
 * every error message must equal the single-threaded run's, no other exception may occur, the
 * shared inputs must not change, and all threads must get the one op library of the device.
 *
 * <p>Besides the {@link io.djlgather.ext.GatherOps} ops (24 of them through the {@link
 * io.djlgather.ext.IndexMode} overloads, with index values out of range), the mix holds helper
 * calls drawn by the
 * helper fuzz tests' generators: {@code PixelGather.gatherPixels}, {@code Heads.selectHeads} and
 * {@code CrfBlock.viterbiDecode} (a Viterbi result is compared by its paths and scores), and
 * calls of every {@link io.djlgather.ext.GroupOps} op drawn by {@link GroupOpsFuzzTest}.
 *
 * <p>Ops that keep one of several duplicate writes, unspecified which (scatter with src,
 * indexCopy, put without accumulation), are left out: their results may differ between runs by
 * contract. Calls per thread: {@code -Ddjlgather.reliability.threadCalls}.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;

    @Test
    void eightThreadsOnSharedInputsMatchTheSingleThreadedRun() throws Exception {
        int callsPerThread = Integer.getInteger("djlgather.reliability.threadCalls", 2_000);
        CaseGenerator generator = new CaseGenerator(GatherOpsFuzzTest.DEFAULT_SEED + 2, 0.35);
        List<Case> cases = new ArrayList<>();
        for (long i = 0; cases.size() < 96; i++) {
            Case c = generator.generate(i);
            if (c.op != Case.Op.SCATTER && c.op != Case.Op.INDEX_COPY
                    && !(c.op == Case.Op.PUT && !c.flag)) {
                cases.add(c);
            }
        }
        // the IndexMode overloads, with index values out of range (same exclusions)
        CaseGenerator withModes = new CaseGenerator(GatherOpsFuzzTest.DEFAULT_SEED + 3, 0.2);
        for (long i = 0; cases.size() < 96 + 24; i++) {
            Case c = withModes.generateWithMode(i);
            if (c.withMode && c.op != Case.Op.SCATTER && c.op != Case.Op.INDEX_COPY
                    && !(c.op == Case.Op.PUT && !c.flag)) {
                cases.add(c);
            }
        }
        List<HelperFuzz.Call> helpers = new ArrayList<>();
        for (long i = 0; helpers.size() < 48; i++) {
            SplittableRandom rnd = HelperFuzz.random(23, i);
            switch ((int) (i % 4)) {
                case 3:
                    helpers.add(GroupOpsFuzzTest.groupCall(rnd));
                    break;
                case 0:
                    helpers.add(PixelGatherFuzzTest.gatherPixels(rnd));
                    break;
                case 1:
                    helpers.add(HeadsFuzzTest.selectHeads(rnd));
                    break;
                default:
                    helpers.add(CrfFuzzTest.crfCall(rnd, "viterbiDecode"));
                    break;
            }
        }
        int calls = cases.size() + helpers.size();
        try (NDManager shared = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray[]> inputs = new ArrayList<>();
            for (Case c : cases) {
                inputs.add(c.create(shared));
            }
            for (HelperFuzz.Call h : helpers) {
                NDArray[] args = new NDArray[h.arrays.length];
                for (int a = 0; a < args.length; a++) {
                    args[a] = HelperFuzz.make(h.arrays[a], shared);
                }
                inputs.add(args);
            }
            List<byte[][]> before = new ArrayList<>();
            for (NDArray[] args : inputs) {
                before.add(GatherOpsFuzzTest.contents(args));
            }
            // the single-threaded run
            List<Object> expected = new ArrayList<>();
            for (int k = 0; k < calls; k++) {
                expected.add(call(cases, helpers, k, inputs.get(k), shared));
            }
            long rejected = expected.stream().filter(e -> e instanceof String).count();

            OpLibrary.release(Device.cpu()); // so that the threads race on its first use too
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<OpLibrary>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        int k = (i * 7 + thread * 13) % calls;
                        Object got = call(cases, helpers, k, inputs.get(k), shared);
                        Object want = expected.get(k);
                        if (want instanceof String) {
                            assertEquals(want, got, "thread " + thread + " call " + i);
                        } else {
                            assertTrue(got instanceof byte[], () -> "thread " + thread + " call "
                                    + " got " + got + " for " + describe(cases, helpers, k));
                            assertArrayEquals((byte[]) want, (byte[]) got, "thread " + thread
                                    + " call " + i + ": " + describe(cases, helpers, k));
                        }
                    }
                    return OpLibrary.forDevice(Device.cpu());
                }));
            }
            go.countDown();
            OpLibrary library = null;
            for (Future<OpLibrary> future : futures) {
                OpLibrary used = future.get(); // rethrows a thread's failure
                if (library == null) {
                    library = used;
                }
                assertSame(library, used, "one op library per device");
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertSame(library, OpLibrary.forDevice(Device.cpu()), "one op library per device");
            for (int k = 0; k < calls; k++) {
                byte[][] after = GatherOpsFuzzTest.contents(inputs.get(k));
                for (int a = 0; a < after.length; a++) {
                    assertArrayEquals(before.get(k)[a], after[a], "shared input changed");
                }
            }
            System.out.printf(
                    "reliability: concurrency threads=%d calls-per-thread=%d total=%d"
                            + " distinct-calls=%d (%d helper calls; %d rejected with IAE)"
                            + " mismatches=0 exceptions=0 op-libraries-loaded=1 time=%.1fs%n",
                    THREADS, callsPerThread, THREADS * callsPerThread, calls, helpers.size(),
                    rejected, seconds);
        }
    }

    /** Runs call k of the mix: a GatherOps case, then the helper calls. */
    private static Object call(List<Case> cases, List<HelperFuzz.Call> helpers, int k,
            NDArray[] args, NDManager shared) {
        return k < cases.size() ? call(cases.get(k), args)
                : callHelper(helpers.get(k - cases.size()), args, shared);
    }

    private static String describe(List<Case> cases, List<HelperFuzz.Call> helpers, int k) {
        return String.valueOf(k < cases.size() ? cases.get(k) : helpers.get(k - cases.size()));
    }

    /**
     * Runs a helper call; returns the bytes of all its results, one after the other, or the
     * IllegalArgumentException's message. The results are closed.
     */
    private static Object callHelper(HelperFuzz.Call h, NDArray[] args, NDManager shared) {
        NDArray[] results;
        try {
            results = HelperFuzz.flatten(h.invoker.call(shared, args));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (NDArray r : results) {
            bytes.writeBytes(r.toByteArray());
            bytes.writeBytes(r.getShape().toString().getBytes(StandardCharsets.UTF_8));
            r.close();
        }
        return bytes.toByteArray();
    }

    /**
     * Runs a case; returns the result's bytes (with its shape and dtype checked by the byte
     * count and the fuzz test) or the IllegalArgumentException's message. The result is closed,
     * so the shared manager does not fill up.
     */
    private static Object call(Case c, NDArray[] args) {
        try (NDArray result = c.invoke(args[0], args[1], args[2])) {
            return result.toByteArray();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
