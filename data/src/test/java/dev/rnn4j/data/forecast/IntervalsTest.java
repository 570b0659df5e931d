package dev.rnn4j.data.forecast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntervalsTest {

    @Test
    void coverageCountsClosedIntervalsOverNonNaNActuals() {
        double[] actual = {1, 2, 3, Double.NaN, 5};
        double[] lower = {0, 2.5, 3, 0, 6};
        double[] upper = {2, 4, 3, 1, 7};
        // 1 in [0, 2] yes; 2 in [2.5, 4] no; 3 in [3, 3] yes (closed); NaN skipped; 5 in [6, 7] no: 2 of 4
        assertEquals(0.5, Intervals.coverage(actual, lower, upper));
        assertTrue(Double.isNaN(Intervals.coverage(new double[] {Double.NaN}, new double[] {0}, new double[] {1})));
        assertThrows(IllegalArgumentException.class,
                () -> Intervals.coverage(actual, lower, new double[] {1}));
    }

    @Test
    void normalQuantileMatchesKnownValuesInEveryBranch() {
        // central branch, |p − 0.5| ≤ 0.425
        assertEquals(1.959963984540054, Intervals.normalQuantile(0.975), 1e-14);
        assertEquals(1.2815515655446004, Intervals.normalQuantile(0.9), 1e-14);
        assertEquals(1.6448536269514722, Intervals.normalQuantile(0.95), 1e-14);
        assertEquals(0, Intervals.normalQuantile(0.5));
        // references below from mpmath at 50 digits (root of ncdf(x) = p)
        assertEquals(3.0902323061678133, Intervals.normalQuantile(0.999), 1e-14); // tail, r ≤ 5
        assertEquals(-9.2623400897984076, Intervals.normalQuantile(1e-20), 1e-13); // far tail, r > 5
        assertEquals(Double.NEGATIVE_INFINITY, Intervals.normalQuantile(0));
        assertEquals(Double.POSITIVE_INFINITY, Intervals.normalQuantile(1));
    }

    @Test
    void normalQuantileIsAntisymmetricAndIncreasing() {
        double previous = Double.NEGATIVE_INFINITY;
        // dyadic p ≥ 2^-52, so that 1 − p is exact and any asymmetry is the algorithm's; 2^-40 is in the far tail
        double[] ps = {0x1p-40, 0x1p-30, 0x1p-10, 3 / 128.0, 0.0625, 0.25, 0.375, 0.5, 0.625, 0.75, 0.9375, 1 - 0x1p-10};
        for (double p : ps) {
            double z = Intervals.normalQuantile(p);
            assertEquals(-z, Intervals.normalQuantile(1 - p), 1e-12, "p = " + p);
            assertTrue(z > previous, "not increasing at p = " + p);
            previous = z;
        }
    }

    @Test
    void normalQuantileRefusesNonProbabilities() {
        assertThrows(IllegalArgumentException.class, () -> Intervals.normalQuantile(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Intervals.normalQuantile(1.5));
        assertThrows(IllegalArgumentException.class, () -> Intervals.normalQuantile(Double.NaN));
    }

    @Test
    void directionalAccuracySkipsFlatActualsAndCountsFlatPredictionsAsMisses() {
        double[] origins = {10, 10, 10, 10, 10, 10};
        double[] actual = {12, 8, 10, 15, Double.NaN, 11};
        double[] predicted = {11, 9, 12, 10, 0, 7};
        // up/up hit; down/down hit; flat actual skipped; flat prediction miss; NaN skipped; up/down miss: 2 of 4
        assertEquals(0.5, Intervals.directionalAccuracy(actual, predicted, origins));
        assertTrue(Double.isNaN(Intervals.directionalAccuracy(new double[] {3}, new double[] {4}, new double[] {3})));
    }
}
