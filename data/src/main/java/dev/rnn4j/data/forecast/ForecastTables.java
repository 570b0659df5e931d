package dev.rnn4j.data.forecast;

import dev.rnn4j.data.series.TimeSeries;

import java.util.ArrayList;
import java.util.List;

/**
 * Forecasts as tables of text cells, ready for a CSV writer: the header first, then one row per origin
 * ({@link #predictions}) or per future step ({@link #forecast}). Numbers are written with
 * {@link Double#toString} (shortest exact form); a missing value (an actual past the end) is an empty cell.
 */
public final class ForecastTables {
    private ForecastTables() {}

    /**
     * One row per origin: {@code origin} (the origin's time), then for each step h: {@code h<h>_time},
     * {@code h<h>_actual} (empty past the end), {@code h<h>_forecast}, and for each interval level L
     * {@code h<h>_lower_<L>}, {@code h<h>_upper_<L>}.
     */
    public static List<List<String>> predictions(TimeSeries series, Predictions p) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("origin"));
        for (int h = 1; h <= p.horizon(); h++) {
            header.addAll(List.of("h" + h + "_time", "h" + h + "_actual", "h" + h + "_forecast"));
            for (double level : p.levels()) {
                String l = ForecastEvaluation.label(level);
                header.addAll(List.of("h" + h + "_lower_" + l, "h" + h + "_upper_" + l));
            }
        }
        rows.add(header);
        double[] y = series.target();
        int n = series.length();
        for (int o = 0; o < p.origins().length; o++) {
            int origin = p.origins()[o];
            List<String> row = new ArrayList<>(List.of(series.timeLabels()[origin]));
            for (int h = 1; h <= p.horizon(); h++) {
                int at = o * p.horizon() + h - 1, target = origin + h;
                row.add(target < n ? series.timeLabels()[target] : ForecastModel.timeAfter(series, target - n + 1));
                row.add(target < n ? number(y[target]) : "");
                row.add(number(p.mean()[at]));
                for (int l = 0; l < p.levels().size(); l++) {
                    row.add(number(p.lower()[l][at]));
                    row.add(number(p.upper()[l][at]));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** One row per future step: {@code step, time, forecast}, and {@code lower_<L>, upper_<L>} per interval level. */
    public static List<List<String>> forecast(List<ForecastModel.ForecastStep> steps, List<Double> levels) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("step", "time", "forecast"));
        for (double level : levels) {
            String l = ForecastEvaluation.label(level);
            header.addAll(List.of("lower_" + l, "upper_" + l));
        }
        rows.add(header);
        for (ForecastModel.ForecastStep s : steps) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(s.step()), s.time(), number(s.value())));
            for (int l = 0; l < levels.size(); l++) {
                row.add(number(s.lower()[l]));
                row.add(number(s.upper()[l]));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
