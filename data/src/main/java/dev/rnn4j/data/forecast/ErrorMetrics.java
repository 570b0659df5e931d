package dev.rnn4j.data.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Point-forecast errors over a set of (actual y, predicted ŷ) pairs, in the user's units.
 *
 * <ul>
 *   <li>RMSE = sqrt(mean((y − ŷ)²)), in the units of y.</li>
 *   <li>MAE = mean(|y − ŷ|), in the units of y.</li>
 *   <li>MAPE = 100 · mean(|y − ŷ| / |y|), in percent, over the pairs with y ≠ 0 only; NaN if every y is 0.</li>
 *   <li>sMAPE = 200 · mean(|y − ŷ| / (|y| + |ŷ|)), on the 0–200 scale of the M4 competition and Darts (not the
 *       0–100 scale some libraries use); a pair with y = ŷ = 0 counts as 0 and stays in the mean.</li>
 *   <li>MASE = MAE / scale, unitless, where scale is the in-sample MAE of the seasonal naive forecast on the
 *       training history (M4: {@link Baselines#seasonalNaiveScale}). NaN when the scale is 0 or not finite: a
 *       constant or exactly periodic history has no scale.</li>
 * </ul>
 *
 * <p>Pairs whose actual is NaN (e.g. a horizon step past the end of the series, see {@link Baselines#actuals})
 * are skipped by every metric. A NaN prediction is not skipped: it makes the metrics NaN, so a broken model
 * shows.
 */
public record ErrorMetrics(double rmse, double mae, double mape, double smape, double mase) {

    /**
     * The metrics over all pairs {@code (actual[i], predicted[i])} whose actual is not NaN.
     *
     * @param maseScale the MASE denominator, usually {@link Baselines#seasonalNaiveScale} of the training history
     * @throws IllegalArgumentException if the arrays differ in length, or no actual is a number
     */
    public static ErrorMetrics of(double[] actual, double[] predicted, double maseScale) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual has " + actual.length + " values but predicted has "
                    + predicted.length);
        }
        if (maseScale < 0) throw new IllegalArgumentException("the MASE scale must not be negative, got " + maseScale);
        int pairs = 0, nonZeroActuals = 0;
        double squared = 0, absolute = 0, percentage = 0, symmetric = 0;
        for (int i = 0; i < actual.length; i++) {
            double y = actual[i];
            if (Double.isNaN(y)) continue;
            double yHat = predicted[i];
            double error = Math.abs(y - yHat);
            pairs++;
            squared += error * error;
            absolute += error;
            if (y != 0) {
                nonZeroActuals++;
                percentage += error / Math.abs(y);
            }
            double denominator = Math.abs(y) + Math.abs(yHat);
            // y = ŷ = 0 is a perfect forecast: 0, not 0/0
            if (denominator != 0) symmetric += error / denominator;
        }
        if (pairs == 0) {
            throw new IllegalArgumentException("no pair has an actual value (all " + actual.length + " are NaN)");
        }
        double mae = absolute / pairs;
        double mape = nonZeroActuals == 0 ? Double.NaN : 100 * percentage / nonZeroActuals;
        double mase = maseScale > 0 && Double.isFinite(maseScale) ? mae / maseScale : Double.NaN;
        return new ErrorMetrics(Math.sqrt(squared / pairs), mae, mape, 200 * symmetric / pairs, mase);
    }

    /**
     * Keys rmse, mae, mape, smape, mase in that order; a metric that is NaN or infinite becomes {@code null}, so the
     * map always writes as valid JSON.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rmse", jsonNumber(rmse));
        json.put("mae", jsonNumber(mae));
        json.put("mape", jsonNumber(mape));
        json.put("smape", jsonNumber(smape));
        json.put("mase", jsonNumber(mase));
        return json;
    }

    private static Double jsonNumber(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /**
     * Each metric's mean over the folds of a backtest, ignoring the folds where that metric is NaN (e.g. MAPE of a
     * fold whose actuals are all 0); NaN if it is NaN in every fold.
     */
    public static ErrorMetrics mean(List<ErrorMetrics> folds) {
        return across(folds, ErrorMetrics::meanOf);
    }

    /**
     * Each metric's sample standard deviation (divisor n − 1) over the folds, ignoring the folds where that metric
     * is NaN; 0 when only one fold has it, NaN when none has.
     */
    public static ErrorMetrics standardDeviation(List<ErrorMetrics> folds) {
        return across(folds, ErrorMetrics::sampleStandardDeviationOf);
    }

    private interface Summary {
        double of(double[] values);
    }

    private static ErrorMetrics across(List<ErrorMetrics> folds, Summary summary) {
        if (folds.isEmpty()) throw new IllegalArgumentException("no folds to summarise");
        return new ErrorMetrics(
                summary.of(column(folds, ErrorMetrics::rmse)),
                summary.of(column(folds, ErrorMetrics::mae)),
                summary.of(column(folds, ErrorMetrics::mape)),
                summary.of(column(folds, ErrorMetrics::smape)),
                summary.of(column(folds, ErrorMetrics::mase)));
    }

    /** One metric across the folds, without the folds where it is NaN. */
    private static double[] column(List<ErrorMetrics> folds, ToDoubleFunction<ErrorMetrics> metric) {
        return folds.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).toArray();
    }

    private static double meanOf(double[] values) {
        if (values.length == 0) return Double.NaN;
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    private static double sampleStandardDeviationOf(double[] values) {
        if (values.length == 0) return Double.NaN;
        if (values.length == 1) return 0;
        double mean = meanOf(values), squares = 0;
        for (double v : values) squares += (v - mean) * (v - mean);
        return Math.sqrt(squares / (values.length - 1));
    }
}
