package io.djlgather.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The slope estimator against hand-worked series: a plateau with steps, swings, and leaks. */
class RssSlopeTest {

    private static long growthMb(double... mb) {
        RssSlope slope = new RssSlope();
        for (double v : mb) {
            slope.add(Math.round(v * 1_000_000));
        }
        return Math.round(slope.growthBytes() / 1_000_000.0);
    }

    @Test
    void aPlateauWithArenaStepsAndSwingsReadsFlat() {
        // the CI run's eight blocks (start 0): envelope rises 20.5 .1 .1 14.7 0 .1 4.0 15.8
        assertEquals(1, growthMb(0, 20.5, 20.6, 20.7, 40.6, 35.4, 35.5, 39.5, 55.3, 55.3, 55.3));
        assertEquals(0, growthMb(0, 20, 0, 20, 0, 20, 0, 20, 0, 20, 0));
        assertEquals(0, growthMb(100, 100, 100, 120, 120, 120, 120, 120, 120, 120, 120));
    }

    @Test
    void aSteadyLeakReadsItsFullGrowth() {
        // 2 MB per step over 10 steps
        assertEquals(20, growthMb(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20));
        // the same leak under swings of +-5 MB
        assertEquals(20, growthMb(0, 7, 4, 11, 8, 15, 12, 19, 16, 23, 20));
    }
}
