package io.djlgather.ext.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Resident memory (VmRSS) read at checkpoints, one after each equal block of work, and the
 * growth per block they show.
 *
 * <p>Why a slope and not a level: on this machine glibc's arenas, the JIT and libtorch's
 * allocator move RSS by tens of MB from run to run, and within a run they step up (or down) once
 * or twice by 10 to 30 MB and then plateau; single readings also spike for one checkpoint and
 * come back. Seen here: {@code +24.7 +26.1 +26.1 +54.3 +42.8 +42.9 +43.0 +45.5} MB and {@code
 * +12.0 +12.1 +40.1 +29.0 +29.1 +29.3 +44.8 +21.0} MB over blocks of equal work. A leak instead
 * grows with every block. So the slope is the median of the growths from one checkpoint to the
 * next: a step or a spike moves one or two of them and not the median, a plateau gives about 0,
 * and a leak of L per block gives about L. Each reading follows a full GC, so that direct
 * buffers DJL made while creating arrays and already dropped do not count.
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

    /** The median growth from one checkpoint to the next, in MB per block. */
    double medianBlockGrowthMb() {
        if (count != kb.length || count < 3) {
            throw new IllegalStateException(
                    "need " + kb.length + " checkpoints, at least 3; have " + count);
        }
        double[] growth = new double[count - 1];
        for (int k = 1; k < count; k++) {
            growth[k - 1] = (kb[k] - kb[k - 1]) / 1024.0;
        }
        Arrays.sort(growth);
        int mid = growth.length / 2;
        return growth.length % 2 == 1 ? growth[mid] : (growth[mid - 1] + growth[mid]) / 2;
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
