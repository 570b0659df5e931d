package dev.rnn4j.data.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's forecasts scored against the actual values beside the two baselines it must beat, over the same
 * origins and steps.
 *
 * @param model               the model's errors (RMSE, MAE, MAPE %, sMAPE on 0-200, MASE)
 * @param persistence         ŷ(t + h) = y_t
 * @param seasonalNaive       ŷ(t + h) = the last observed value of the same season
 * @param season              m
 * @param coverage            per interval level, the share of actual values inside the interval (empty for points)
 * @param directionalAccuracy the share of forecasts that move the same way from y_t as the actual value does
 * @param origins             forecast origins scored
 * @param pairs               (origin, step) pairs scored
 */
public record ForecastEvaluation(ErrorMetrics model, ErrorMetrics persistence, ErrorMetrics seasonalNaive, int season,
                                 Map<Double, Double> coverage, double directionalAccuracy, int origins, int pairs) {

    /** {@code {"rmse", "mae", "mape", "smape", "mase", "directional_accuracy", "coverage": {"0.8": ...}, "origins", "pairs"}}. */
    public Map<String, Object> modelJson() {
        Map<String, Object> json = new LinkedHashMap<>(model.toJson());
        json.put("directional_accuracy", finite(directionalAccuracy));
        if (!coverage.isEmpty()) {
            Map<String, Object> c = new LinkedHashMap<>();
            coverage.forEach((level, share) -> c.put(label(level), finite(share)));
            json.put("coverage", c);
        }
        json.put("origins", origins);
        json.put("pairs", pairs);
        return json;
    }

    /** {@code {"persistence": {...}, "seasonal_naive": {..., "season": m}}}. */
    public Map<String, Object> baselinesJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("persistence", persistence.toJson());
        Map<String, Object> seasonal = new LinkedHashMap<>(seasonalNaive.toJson());
        seasonal.put("season", season);
        json.put("seasonal_naive", seasonal);
        return json;
    }

    /** "0.8" for 0.8, as the interval columns and coverage keys name a level. */
    public static String label(double level) {
        String s = String.format(Locale.ROOT, "%.4f", level).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Mean and spread of each error metric over backtest folds, by whose errors: model, persistence, seasonal naive. */
    public static Map<String, Object> summary(List<ForecastEvaluation> folds) {
        Map<String, Object> mean = new LinkedHashMap<>(), spread = new LinkedHashMap<>();
        mean.put("model", ErrorMetrics.mean(folds.stream().map(ForecastEvaluation::model).toList()).toJson());
        mean.put("persistence", ErrorMetrics.mean(folds.stream().map(ForecastEvaluation::persistence).toList()).toJson());
        mean.put("seasonal_naive", ErrorMetrics.mean(folds.stream().map(ForecastEvaluation::seasonalNaive).toList()).toJson());
        spread.put("model", ErrorMetrics.standardDeviation(folds.stream().map(ForecastEvaluation::model).toList()).toJson());
        spread.put("persistence", ErrorMetrics.standardDeviation(folds.stream().map(ForecastEvaluation::persistence).toList()).toJson());
        spread.put("seasonal_naive", ErrorMetrics.standardDeviation(folds.stream().map(ForecastEvaluation::seasonalNaive).toList()).toJson());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("folds", folds.size());
        json.put("mean", mean);
        json.put("std", spread);
        return json;
    }
}
