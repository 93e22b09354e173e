package io.djlgather.ext.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Resident memory (VmRSS) read at checkpoints, one after each equal block of work, and the
 * growth they show between later checkpoints.
 *
 * <p>Why a slope and not a level: on this machine glibc's arenas, the JIT and libtorch's
 * allocator move RSS by tens of MB from run to run, and within a run they step up once or twice
 * and then plateau; single readings also spike for a checkpoint and come back. A leak instead
 * grows with every block. So the growth is the least of the last {@code width} checkpoints
 * minus the least of the {@code width} before them: a plateau (reached in any earlier block)
 * gives about 0, a spike is filtered by the minimum, and a leak of L per block gives about
 * {@code width * L}. Each reading follows a full GC, so that direct buffers DJL made while
 * creating arrays and already dropped do not count.
 */
final class ResidentMemory {

    private final long startKb;
    private final long[] kb;
    private int count;

    /** Takes the starting reading (after the caller's warm-up). */
    ResidentMemory(int checkpoints) throws Exception {
        this.kb = new long[checkpoints];
        this.startKb = settledKb();
    }

    /** Records the reading after a block. */
    void checkpoint() throws Exception {
        kb[count++] = settledKb();
    }

    /** The number of checkpoints still to take. */
    int remaining() {
        return kb.length - count;
    }

    /**
     * The least of the last {@code width} checkpoints minus the least of the {@code width}
     * checkpoints before them, in MB; the growth over {@code width} blocks.
     */
    double lateGrowthMb(int width) {
        if (count != kb.length || 2 * width > count) {
            throw new IllegalStateException(
                    "need " + kb.length + " checkpoints and at least " + 2 * width + ", have " + count);
        }
        long late = Arrays.stream(kb, count - width, count).min().getAsLong();
        long middle = Arrays.stream(kb, count - 2 * width, count - width).min().getAsLong();
        return (late - middle) / 1024.0;
    }

    /** The reading after the warm-up, in MB. */
    double startMb() {
        return startKb / 1024.0;
    }

    /** The checkpoints as growth from the start, in MB: {@code "+21.1 +149.2 ..."}. */
    String checkpointsMb() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < count; k++) {
            sb.append(k == 0 ? "" : " ").append(String.format("%+.1f", (kb[k] - startKb) / 1024.0));
        }
        return sb.toString();
    }

    /** Resident memory after a full GC, in kB. */
    static long settledKb() throws Exception {
        System.gc();
        Thread.sleep(50);
        System.gc();
        return kb();
    }

    /** Resident memory of this process in kB. */
    static long kb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
