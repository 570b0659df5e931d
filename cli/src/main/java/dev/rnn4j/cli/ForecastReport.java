package dev.rnn4j.cli;

import dev.rnn4j.data.forecast.ErrorMetrics;
import dev.rnn4j.data.forecast.ForecastEvaluation;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints forecast scores as a small table: the model and the baselines it must beat, one row each. */
final class ForecastReport {
    private ForecastReport() {}

    static void print(PrintWriter out, String title, ForecastEvaluation e) {
        out.println(title + " (" + e.origins() + " forecast origins, " + e.pairs() + " forecasts):");
        out.printf(Locale.ROOT, "  %-22s %12s %12s %8s %8s %7s%n", "", "RMSE", "MAE", "MAPE %", "sMAPE", "MASE");
        row(out, "model", e.model());
        row(out, "persistence", e.persistence());
        row(out, "seasonal naive (m=" + e.season() + ")", e.seasonalNaive());
        StringBuilder extra = new StringBuilder(String.format(Locale.ROOT, "  directional accuracy %.1f%%", 100 * e.directionalAccuracy()));
        for (Map.Entry<Double, Double> c : e.coverage().entrySet()) {
            extra.append(String.format(Locale.ROOT, "; %s interval covers %.1f%%", pct(c.getKey()), 100 * c.getValue()));
        }
        out.println(extra);
        out.println("  (sMAPE on the 0-200 scale; MASE divides by the in-sample seasonal-naive MAE)");
    }

    static void printBacktest(PrintWriter out, List<ForecastEvaluation> folds) {
        out.println("backtest over " + folds.size() + " rolling origins (expanding window), mean +- std:");
        summary(out, "model", folds.stream().map(ForecastEvaluation::model).toList());
        summary(out, "persistence", folds.stream().map(ForecastEvaluation::persistence).toList());
        summary(out, "seasonal naive", folds.stream().map(ForecastEvaluation::seasonalNaive).toList());
    }

    private static void summary(PrintWriter out, String name, List<ErrorMetrics> folds) {
        ErrorMetrics mean = ErrorMetrics.mean(folds), std = ErrorMetrics.standardDeviation(folds);
        out.printf(Locale.ROOT, "  %-22s RMSE %s +- %s   MASE %s +- %s%n", name, num(mean.rmse()), num(std.rmse()), num(mean.mase()),
                num(std.mase()));
    }

    private static void row(PrintWriter out, String name, ErrorMetrics m) {
        out.printf(Locale.ROOT, "  %-22s %12s %12s %8s %8s %7s%n", name, num(m.rmse()), num(m.mae()), num(m.mape()), num(m.smape()), num(m.mase()));
    }

    private static String pct(double level) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * level);
    }

    /** Four significant digits, whatever the series' units. */
    private static String num(double v) {
        if (Double.isNaN(v)) return "-";
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%.1f" : "%.4g", v);
    }
}
