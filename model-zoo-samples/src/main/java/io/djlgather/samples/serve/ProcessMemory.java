package io.djlgather.samples.serve;

import ai.djl.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code serve-demo} prints and the lifecycle tests count: the arrays under a model's manager
 * (recursive over its sub-managers: predictors, requests, trainers, batches) and the process's
 * resident set size. A model that leaks per request shows it in the first figure long before the
 * second; the second moves by tens of MB from run to run (glibc arenas, the JIT, libtorch's
 * allocator), so judge it by its growth between late checkpoints, not by its level.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Returns the number of arrays the model's manager and its sub-managers hold. */
    public static int arrays(Model model) {
        return model.getNDManager().getManagedArrays().size();
    }

    /** Whether this process can read its VmRSS (Linux). */
    public static boolean hasRss() {
        return Files.isReadable(STATUS);
    }

    /**
     * Returns VmRSS from /proc/self/status in bytes.
     *
     * @throws IllegalStateException if the file has no VmRSS line
     * @throws java.io.UncheckedIOException if it cannot be read (not Linux: see {@link #hasRss})
     */
    public static long rssBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:    123456 kB"
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("ProcessMemory: no VmRSS line in " + STATUS);
    }

    /** Returns bytes as MB with one decimal. */
    public static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
