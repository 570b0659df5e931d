package dev.rnn4j.data.forecast;

import dev.rnn4j.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMetricsTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void everyMetricOnASmallHandComputedExample() {
        // errors |y − ŷ| = 1, 2, 0, 4
        ErrorMetrics m = ErrorMetrics.of(new double[] {2, 4, 5, 10}, new double[] {3, 2, 5, 6}, 0.5);
        // RMSE = sqrt((1 + 4 + 0 + 16) / 4) = sqrt(5.25)
        assertEquals(Math.sqrt(5.25), m.rmse(), TOLERANCE);
        // MAE = (1 + 2 + 0 + 4) / 4 = 1.75
        assertEquals(1.75, m.mae(), TOLERANCE);
        // MAPE = 100 · (1/2 + 2/4 + 0/5 + 4/10) / 4 = 100 · 1.4 / 4 = 35
        assertEquals(35, m.mape(), TOLERANCE);
        // sMAPE = 200 · (1/5 + 2/6 + 0/10 + 4/16) / 4 = 50 · 47/60 = 39.1666...
        assertEquals(50.0 * 47 / 60, m.smape(), TOLERANCE);
        // MASE = 1.75 / 0.5 = 3.5
        assertEquals(3.5, m.mase(), TOLERANCE);
    }

    @Test
    void smapeCountsABothZeroPairAsZeroAndMapeSkipsZeroActuals() {
        // pair 1: y = ŷ = 0; pair 2: y = 1, ŷ = 3
        ErrorMetrics m = ErrorMetrics.of(new double[] {0, 1}, new double[] {0, 3}, 1);
        // sMAPE = 200 · (0 + 2/4) / 2 = 50 (dropping the zero pair would give 100)
        assertEquals(50, m.smape(), TOLERANCE);
        // MAPE over y ≠ 0 only: 100 · 2/1 = 200
        assertEquals(200, m.mape(), TOLERANCE);
        // MAE over both pairs: (0 + 2) / 2 = 1
        assertEquals(1, m.mae(), TOLERANCE);
    }

    @Test
    void mapeIsNaNWhenEveryActualIsZero() {
        ErrorMetrics m = ErrorMetrics.of(new double[] {0, 0}, new double[] {1, -1}, 1);
        assertTrue(Double.isNaN(m.mape()));
        // sMAPE = 200 · (1/1 + 1/1) / 2 = 200, the top of the scale
        assertEquals(200, m.smape(), TOLERANCE);
        assertNull(m.toJson().get("mape"));
    }

    @Test
    void pairsWithoutAnActualAreSkippedButNaNPredictionsShow() {
        // only pairs 1 and 3 count: errors 1 and 0, so MAE = 0.5 (pair 2 would add 97)
        ErrorMetrics skipped = ErrorMetrics.of(new double[] {1, Double.NaN, 3}, new double[] {2, 100, 3}, 1);
        assertEquals(0.5, skipped.mae(), TOLERANCE);
        assertEquals(Math.sqrt(0.5), skipped.rmse(), TOLERANCE);
        ErrorMetrics broken = ErrorMetrics.of(new double[] {1, 2}, new double[] {1, Double.NaN}, 1);
        assertTrue(Double.isNaN(broken.mae()));
        assertTrue(Double.isNaN(broken.smape()));
        assertThrows(IllegalArgumentException.class,
                () -> ErrorMetrics.of(new double[] {Double.NaN}, new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> ErrorMetrics.of(new double[] {1, 2}, new double[] {1}, 1));
    }

    @Test
    void maseFollowsTheM4DefinitionOnASeasonalSeries() {
        int m = 4;
        double[] history = {10, 20, 30, 25, 12, 21, 33, 24, 11, 23};
        double[] series = {10, 20, 30, 25, 12, 21, 33, 24, 11, 23, 34, 26, 13};
        int[] origins = {history.length - 1};
        int horizon = 3;
        double[] actual = Baselines.actuals(series, origins, horizon);
        double[] predicted = Baselines.seasonalNaive(series, origins, horizon, m);
        // the seasonal naive forecast repeats y[6], y[7], y[8]; a second forecast is off by 1 each step
        assertArrayEquals(new double[] {33, 24, 11}, predicted);
        double[] other = {35, 25, 14};

        // M4: MASE = mean|y − ŷ| over the horizon / mean over i = m..n−1 of |h[i] − h[i − m]| on the history
        double scale = 0;
        for (int i = m; i < history.length; i++) scale += Math.abs(history[i] - history[i - m]);
        scale /= history.length - m;
        double absolute = 0;
        for (int i = 0; i < horizon; i++) absolute += Math.abs(actual[i] - predicted[i]);
        double expected = absolute / horizon / scale;

        double maseScale = Baselines.seasonalNaiveScale(history, m);
        assertEquals(expected, ErrorMetrics.of(actual, predicted, maseScale).mase(), TOLERANCE);
        // by hand: scale = (2 + 1 + 3 + 1 + 1 + 2) / 6 = 10/6; errors 1, 2, 2, so MAE = 5/3 and MASE = 1
        assertEquals(1.0, ErrorMetrics.of(actual, predicted, maseScale).mase(), TOLERANCE);
        // errors 1, 1, 1: MAE = 1, MASE = 1 / (10/6) = 0.6
        assertEquals(0.6, ErrorMetrics.of(actual, other, maseScale).mase(), TOLERANCE);
    }

    @Test
    void aPeriodicHistoryHasNoScaleSoMaseIsNullInJson() {
        double scale = Baselines.seasonalNaiveScale(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, 4);
        assertEquals(0, scale);
        ErrorMetrics m = ErrorMetrics.of(new double[] {1, 2}, new double[] {2, 2}, scale);
        assertTrue(Double.isNaN(m.mase()));
        assertTrue(Double.isNaN(ErrorMetrics.of(new double[] {1, 2}, new double[] {2, 2}, Double.NaN).mase()));

        Map<String, Object> json = m.toJson();
        assertEquals(List.of("rmse", "mae", "mape", "smape", "mase"), List.copyOf(json.keySet()));
        assertNull(json.get("mase"));
        assertEquals(0.5, (Double) json.get("mae"), TOLERANCE);
        // the written JSON parses back, with mase as null
        Map<String, Object> parsed = Json.parseObject(Json.write(json));
        assertTrue(parsed.containsKey("mase"));
        assertNull(parsed.get("mase"));
    }

    @Test
    void meanAndSampleStandardDeviationOverFoldsIgnoreNaNPerMetric() {
        List<ErrorMetrics> folds = List.of(
                new ErrorMetrics(1, 1, 10, 5, Double.NaN),
                new ErrorMetrics(3, 2, Double.NaN, 7, 0.5),
                new ErrorMetrics(5, 6, 20, 9, 1.5));
        ErrorMetrics mean = ErrorMetrics.mean(folds);
        assertEquals(3, mean.rmse(), TOLERANCE);
        assertEquals(3, mean.mae(), TOLERANCE);
        assertEquals(15, mean.mape(), TOLERANCE); // (10 + 20) / 2
        assertEquals(7, mean.smape(), TOLERANCE);
        assertEquals(1, mean.mase(), TOLERANCE); // (0.5 + 1.5) / 2

        ErrorMetrics std = ErrorMetrics.standardDeviation(folds);
        assertEquals(2, std.rmse(), TOLERANCE); // sqrt((4 + 0 + 4) / 2)
        assertEquals(Math.sqrt(7), std.mae(), TOLERANCE); // deviations −2, −1, 3: sqrt(14 / 2)
        assertEquals(Math.sqrt(50), std.mape(), TOLERANCE); // deviations ±5 over n − 1 = 1
        assertEquals(2, std.smape(), TOLERANCE);
        assertEquals(Math.sqrt(0.5), std.mase(), TOLERANCE); // deviations ±0.5 over n − 1 = 1
    }

    @Test
    void oneFoldHasZeroSpreadAndAMetricMissingEverywhereStaysNaN() {
        ErrorMetrics only = new ErrorMetrics(2, 1, Double.NaN, 4, 0.7);
        ErrorMetrics std = ErrorMetrics.standardDeviation(List.of(only));
        assertEquals(0, std.rmse());
        assertEquals(0, std.mase());
        assertTrue(Double.isNaN(std.mape()));
        assertTrue(Double.isNaN(ErrorMetrics.mean(List.of(only)).mape()));
        assertEquals(0.7, ErrorMetrics.mean(List.of(only)).mase());
        assertThrows(IllegalArgumentException.class, () -> ErrorMetrics.mean(List.of()));
    }
}
