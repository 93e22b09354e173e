package io.djlgather.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Resident-memory growth over a run of equal steps, as a slope that a plateau passes and a leak
 * fails. RSS on this machine steps by ~20 MB when glibc grows an arena and then stays flat (seen
 * in a fresh-clone CI run under load: +20.5 +20.6 +20.7 +40.6 +35.4 +35.5 +39.5 +55.3 MB over
 * eight equal blocks of op calls), so a difference of two readings can fail on one step. Here the
 * readings' lower envelope (at each reading, the least from there on: memory handed back later
 * was not leaked) rises by about L at every step for a leak of L per step, and at one step only
 * for an arena step; the growth is the median rise times the number of steps.
 */
public final class RssSlope {

    private final List<Long> readings = new ArrayList<>();

    /** Adds the reading taken after a step (the first reading is the start). */
    public void add(long bytes) {
        readings.add(bytes);
    }

    /** The readings so far. */
    public List<Long> readings() {
        return List.copyOf(readings);
    }

    /** The growth over all steps: the median rise of the lower envelope times the steps. */
    public long growthBytes() {
        int n = readings.size();
        if (n < 3) {
            throw new IllegalStateException("need at least 3 readings, have " + n);
        }
        long[] envelope = new long[n];
        envelope[n - 1] = readings.get(n - 1);
        for (int k = n - 2; k >= 0; k--) {
            envelope[k] = Math.min(readings.get(k), envelope[k + 1]);
        }
        long[] rise = new long[n - 1];
        for (int k = 1; k < n; k++) {
            rise[k - 1] = envelope[k] - envelope[k - 1];
        }
        Arrays.sort(rise);
        int mid = rise.length / 2;
        double median = rise.length % 2 == 1 ? rise[mid] : (rise[mid - 1] + rise[mid]) / 2.0;
        return Math.round(median * rise.length);
    }
}
