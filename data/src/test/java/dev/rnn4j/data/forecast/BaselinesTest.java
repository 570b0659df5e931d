package dev.rnn4j.data.forecast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {
    // y[i] = i + 1, so every forecast value names the index it was taken from
    private static final double[] SERIES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final int[] ORIGINS = {3, 7};
    private static final int HORIZON = 6;

    @Test
    void persistenceRepeatsTheLastValueOriginMajor() {
        assertArrayEquals(new double[] {4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8},
                Baselines.persistence(SERIES, ORIGINS, HORIZON));
    }

    @Test
    void seasonalNaiveRepeatsTheLastSeasonBeyondOneSeason() {
        // m = 4, H = 6: index t + h − 4 · ceil(h / 4); t = 3 gives 0, 1, 2, 3, 0, 1; t = 7 gives 4, 5, 6, 7, 4, 5
        assertArrayEquals(new double[] {1, 2, 3, 4, 1, 2, 5, 6, 7, 8, 5, 6},
                Baselines.seasonalNaive(SERIES, ORIGINS, HORIZON, 4));
        assertArrayEquals(Baselines.persistence(SERIES, ORIGINS, HORIZON),
                Baselines.seasonalNaive(SERIES, ORIGINS, HORIZON, 1));
    }

    @Test
    void seasonalNaiveRefusesAnOriginWithLessThanOneSeasonOfHistory() {
        // origin 2 has 3 values, the season is 4
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Baselines.seasonalNaive(SERIES, new int[] {5, 2}, 2, 4));
        assertTrue(e.getMessage().contains("origin 2 has 3 values"), e.getMessage());
        // origin 3 has exactly one season: allowed
        assertEquals(1, Baselines.seasonalNaive(SERIES, new int[] {3}, 1, 4)[0]);
    }

    @Test
    void actualsShareTheLayoutAndAreNaNPastTheEnd() {
        double[] actual = Baselines.actuals(SERIES, ORIGINS, HORIZON);
        assertArrayEquals(new double[] {5, 6, 7, 8, 9, 10, 9, 10, 11, 12, Double.NaN, Double.NaN}, actual);
        // metrics count the 10 pairs that have an actual: persistence errors 1..6 and 1..4
        ErrorMetrics m = ErrorMetrics.of(actual, Baselines.persistence(SERIES, ORIGINS, HORIZON), 1);
        assertEquals((21.0 + 10) / 10, m.mae(), 1e-12);
    }

    @Test
    void originsOutsideTheSeriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Baselines.persistence(SERIES, new int[] {12}, 1));
        assertThrows(IllegalArgumentException.class, () -> Baselines.actuals(SERIES, new int[] {-1}, 1));
        assertThrows(IllegalArgumentException.class, () -> Baselines.persistence(SERIES, ORIGINS, 0));
    }

    @Test
    void seasonalNaiveScaleIsTheInSampleMaeOfTheSeasonBackForecast() {
        // m = 2: |5 − 1|, |2 − 3|, |9 − 5| over 3 differences = (4 + 1 + 4) / 3 = 3
        assertEquals(3, Baselines.seasonalNaiveScale(new double[] {1, 3, 5, 2, 9}, 2), 1e-12);
        // m = 1: |3 − 1|, |5 − 3|, |2 − 5|, |9 − 2| = (2 + 2 + 3 + 7) / 4 = 3.5
        assertEquals(3.5, Baselines.seasonalNaiveScale(new double[] {1, 3, 5, 2, 9}, 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Baselines.seasonalNaiveScale(new double[] {1, 3}, 2));
    }
}
