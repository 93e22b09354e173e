package io.djlgather.samples.serve;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies (nearest-rank method).
 */
public final class LatencyStats {

    private final long[] sorted;

    /**
     * Creates the statistics.
     *
     * @param nanos the latencies in nanoseconds, at least one
     * @throws IllegalArgumentException if nanos is empty
     */
    public LatencyStats(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("LatencyStats: nanos is empty; expected at least 1 latency, got 0");
        }
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    /**
     * Returns the p-th percentile in milliseconds: the smallest latency with at least p% of all
     * latencies at or below it.
     *
     * @param p the percentile in (0, 100]
     * @return the latency in ms
     */
    public double percentileMillis(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /** Returns the number of latencies. */
    public int count() {
        return sorted.length;
    }
}
