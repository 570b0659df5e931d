package dev.rnn4j.data.report;

import dev.rnn4j.data.forecast.Baselines;
import dev.rnn4j.data.forecast.ForecastEvaluation;
import dev.rnn4j.data.forecast.ForecastModel;
import dev.rnn4j.data.forecast.Predictions;
import dev.rnn4j.data.series.TimeSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forecasting view: the series, the model's one-step-ahead forecast from every origin, persistence and the
 * seasonal-naive forecast over the same points, the scored (test) part shaded and the prediction intervals as bands.
 * Recorded in the log as one line:
 * <pre>{@code
 * {"event":"forecast","source":"airline.csv","target":"Passengers","season":12,"scored_from":122,
 *  "time":["1949-01",...],"actual":[...],"model":[...],"persistence":[...],"seasonal_naive":[...],
 *  "intervals":[{"level":0.8,"lower":[...],"upper":[...]}]}
 * }</pre>
 * with null where a forecast has no value (the first window, the first season).
 */
public final class ForecastView {
    static final String EVENT = "forecast";

    private ForecastView() {}

    /**
     * The view's log line for a model over a series.
     *
     * @param scoredFrom the first row of the scored part (the test part of a training run, the evaluated rows of
     *                   an evaluation)
     */
    public static Map<String, Object> record(ForecastModel model, TimeSeries series, int scoredFrom) {
        double[] y = series.target();
        int n = y.length, season = model.preprocessing().season();
        Predictions p = model.predictAll(series);
        int h = p.horizon();
        // origins whose next row exists: the forecast one step ahead lands on row origin + 1
        int[] origins = Arrays.stream(p.origins()).filter(o -> o + 1 < n).toArray();
        double[] persistence = Baselines.persistence(y, origins, 1);
        int[] seasonal = Arrays.stream(origins).filter(o -> o + 1 >= season).toArray();
        double[] seasonalNaive = Baselines.seasonalNaive(y, seasonal, 1, season);
        Double[] model1 = new Double[n], persistence1 = new Double[n], seasonal1 = new Double[n];
        Double[][] lower = new Double[p.levels().size()][n], upper = new Double[p.levels().size()][n];
        for (int o = 0; o < origins.length; o++) {
            int row = origins[o] + 1;
            model1[row] = p.mean()[o * h];
            persistence1[row] = persistence[o];
            for (int l = 0; l < p.levels().size(); l++) {
                lower[l][row] = p.lower()[l][o * h];
                upper[l][row] = p.upper()[l][o * h];
            }
        }
        for (int o = 0; o < seasonal.length; o++) seasonal1[seasonal[o] + 1] = seasonalNaive[o];
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", EVENT);
        line.put("source", series.source());
        line.put("target", model.preprocessing().target());
        line.put("season", season);
        line.put("scored_from", scoredFrom);
        line.put("time", List.of(series.timeLabels()));
        List<Double> actual = new ArrayList<>();
        for (double v : y) actual.add(v);
        line.put("actual", actual);
        line.put("model", Arrays.asList(model1));
        line.put("persistence", Arrays.asList(persistence1));
        line.put("seasonal_naive", Arrays.asList(seasonal1));
        List<Object> intervals = new ArrayList<>();
        for (int l = 0; l < p.levels().size(); l++) {
            intervals.add(Map.of("level", p.levels().get(l), "lower", Arrays.asList(lower[l]), "upper", Arrays.asList(upper[l])));
        }
        line.put("intervals", intervals);
        return line;
    }

    @SuppressWarnings("unchecked")
    static void addTo(ReportPage page, Map<String, Object> line) {
        page.heading("Forecast: " + line.get("target"));
        List<String> time = (List<String>) line.get("time");
        int scoredFrom = ((Number) line.get("scored_from")).intValue();
        page.note("The model's forecast one step ahead from every origin, beside persistence (the last value) and the seasonal "
                + "naive forecast (the value one season, " + line.get("season") + " steps, earlier). The shaded part, from "
                + time.get(Math.min(scoredFrom, time.size() - 1)) + ", is the part the scores are measured on. Click a name in "
                + "the legend to hide its line.");
        List<Integer> x = new ArrayList<>();
        for (int i = 0; i < time.size(); i++) x.add(i);
        List<ReportPage.Series> series = new ArrayList<>();
        List<ReportPage.Band> bands = new ArrayList<>();
        List<Map<String, Object>> intervals = (List<Map<String, Object>>) line.get("intervals");
        for (Map<String, Object> interval : intervals) {
            String level = ForecastEvaluation.label(((Number) interval.get("level")).doubleValue());
            series.add(new ReportPage.Series(level + " upper", numbers(interval.get("upper")), "#9ecae1", false, false));
            series.add(new ReportPage.Series(level + " lower", numbers(interval.get("lower")), "#9ecae1", false, false));
            bands.add(new ReportPage.Band(series.size() - 2, series.size() - 1));
        }
        series.add(ReportPage.Series.line("actual", numbers(line.get("actual")), "#222222"));
        series.add(ReportPage.Series.line("model", numbers(line.get("model")), ReportPage.COLORS.get(0)));
        series.add(new ReportPage.Series("persistence", numbers(line.get("persistence")), ReportPage.COLORS.get(1), false, true));
        series.add(new ReportPage.Series("seasonal naive", numbers(line.get("seasonal_naive")), ReportPage.COLORS.get(2), false, true));
        page.chart(new ReportPage.Chart(line.get("source") + ": " + line.get("target"), "time", String.valueOf(line.get("target")), x, series,
                false, null, List.of(), time, List.of(new ReportPage.Span(scoredFrom, time.size() - 1, "scored")), bands));
    }

    static List<Double> numbers(Object values) {
        List<Double> out = new ArrayList<>();
        for (Object v : (List<?>) values) out.add(v == null ? null : ((Number) v).doubleValue());
        return out;
    }
}
