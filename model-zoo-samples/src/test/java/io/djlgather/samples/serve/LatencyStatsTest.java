package io.djlgather.samples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentiles() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1_000_000L; // 100 ms .. 1 ms, unsorted
        }
        LatencyStats s = new LatencyStats(nanos);
        assertEquals(50.0, s.percentileMillis(50), 1e-9);
        assertEquals(99.0, s.percentileMillis(99), 1e-9);
        assertEquals(100.0, s.percentileMillis(100), 1e-9);
        assertEquals(7.0, new LatencyStats(new long[] {7_000_000L}).percentileMillis(50), 1e-9);
    }
}
