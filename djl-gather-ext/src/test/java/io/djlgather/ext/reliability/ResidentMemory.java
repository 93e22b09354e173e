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
 * allocator move RSS by tens of MB from run to run, and within a run they step up once or twice
 * by 10 to 30 MB and then plateau, or swing up and back by ~20 MB from one checkpoint to the
 * next. Seen here over blocks of equal work: {@code +24.7 +26.1 +26.1 +54.3 +42.8 +42.9 +43.0
 * +45.5}, {@code +12.0 +12.1 +40.1 +29.0 +29.1 +29.3 +44.8 +21.0} and {@code +20.2 +42.6 +20.4
 * +43.2 +21.5} MB. A leak instead grows with every block.
 *
 * <p>So the slope is taken from the lower envelope: at each checkpoint, the least reading from
 * there on (memory that was handed back later was not leaked). A leak of L per block raises the
 * envelope by about L at every block; a swing does not raise it at all, and a step raises it at
 * one block only. The slope is the median of the envelope's rises from one reading to the next,
 * so one or two steps do not move it. Each reading follows a full GC, so that direct buffers DJL
 * made while creating arrays and already dropped do not count.
 */
final class ResidentMemory {

    /** The readings: the start, then one per checkpoint. */
    private final long[] kb;
    private final boolean malloc;
    private int count;

    /** Takes the starting VmRSS reading (after the caller's warm-up). */
    ResidentMemory(int checkpoints) throws Exception {
        this(checkpoints, false);
    }

    /**
     * Takes the starting reading (after the caller's warm-up): malloc's bytes in use ({@link
     * #settledMallocKb()}) if {@code malloc} and glibc can tell them, else VmRSS.
     */
    ResidentMemory(int checkpoints, boolean malloc) throws Exception {
        this.kb = new long[checkpoints + 1];
        this.malloc = malloc && mallocKb() >= 0;
        kb[count++] = read();
    }

    /** Whether the readings are malloc's bytes in use rather than VmRSS. */
    boolean isMalloc() {
        return malloc;
    }

    /** Records the reading after a block. */
    void checkpoint() throws Exception {
        kb[count++] = read();
    }

    private long read() throws Exception {
        return malloc ? settledMallocKb() : settledKb();
    }

    /** The number of checkpoints still to take. */
    int remaining() {
        return kb.length - count;
    }

    /** The slope over all blocks, in MB per block (see the class comment). */
    double medianBlockGrowthMb() {
        return medianBlockGrowthMb(kb.length - 1);
    }

    /**
     * The slope over the last {@code blocks} blocks (the blocks before them count as warm-up), in
     * MB per block: the median rise of the lower envelope from one reading to the next.
     */
    double medianBlockGrowthMb(int blocks) {
        if (count != kb.length || blocks < 2 || blocks > count - 1) {
            throw new IllegalStateException("need " + (kb.length - 1) + " checkpoints and 2 to "
                    + (kb.length - 1) + " blocks; have " + (count - 1) + " checkpoints, "
                    + blocks + " blocks");
        }
        long[] envelope = new long[count];
        envelope[count - 1] = kb[count - 1];
        for (int k = count - 2; k >= 0; k--) {
            envelope[k] = Math.min(kb[k], envelope[k + 1]);
        }
        double[] rise = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            int at = count - blocks + k;
            rise[k] = (envelope[at] - envelope[at - 1]) / 1024.0;
        }
        Arrays.sort(rise);
        int mid = rise.length / 2;
        return rise.length % 2 == 1 ? rise[mid] : (rise[mid - 1] + rise[mid]) / 2;
    }

    /** The reading after the warm-up, in MB. */
    double startMb() {
        return kb[0] / 1024.0;
    }

    /** The checkpoints as growth from the start, in MB: {@code "+21.1 +149.2 ..."}. */
    String checkpointsMb() {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k < count; k++) {
            sb.append(k == 1 ? "" : " ").append(String.format("%+.1f", (kb[k] - kb[0]) / 1024.0));
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

    /**
     * Bytes glibc's malloc has handed out and not had back, in kB ({@code mallinfo2}'s {@code
     * uordblks + hblkhd}: every arena plus mmap'd chunks), after a full GC; -1 where it cannot be
     * read (no glibc, or one older than 2.33). libtorch's CPU tensors, DJL's native handles and
     * the JVM's own native allocations all come from malloc, so a native leak raises this by
     * what it keeps; unlike RSS it does not move when glibc grows an arena or keeps freed pages.
     */
    static long settledMallocKb() throws Exception {
        System.gc();
        Thread.sleep(50);
        System.gc();
        return mallocKb();
    }

    /** {@link #settledMallocKb()} without the GC. */
    static long mallocKb() {
        try {
            com.sun.jna.Function f =
                    com.sun.jna.NativeLibrary.getInstance("c").getFunction("mallinfo2");
            // mallinfo2 returns its struct by value; JNA reads it into the Structure.ByValue
            MallInfo2 result = (MallInfo2) f.invoke(MallInfo2.class, new Object[0]);
            return (result.uordblks + result.hblkhd) / 1024;
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** glibc's {@code struct mallinfo2}: ten size_t fields. */
    @com.sun.jna.Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
        "fsmblks", "uordblks", "fordblks", "keepcost"})
    public static final class MallInfo2 extends com.sun.jna.Structure
            implements com.sun.jna.Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
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
