package dev.rnn4j.data.forecast;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.data.series.TimeSeriesCsv;
import dev.rnn4j.io.BundleFile;
import dev.rnn4j.io.ModelBundle;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.loss.GaussianNegativeLogLikelihood;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained forecaster: the network and its {@link ForecastPreprocessing}, which together go from the user's series
 * to forecasts in the user's units. Saved as one bundle file ({@link #save}, {@link #load}).
 *
 * <pre>{@code
 * ForecastModel model = ForecastModel.load(Path.of("airline.rnn4j"));
 * TimeSeries series = TimeSeriesCsv.read(Path.of("airline.csv"), model.csvOptions());
 * ForecastEvaluation scores = model.evaluate(series);     // beside persistence and seasonal naive
 * List<ForecastStep> next = model.forecast(series, 24);   // two years past the end
 * }</pre>
 */
public final class ForecastModel {
    /** The bundle's task name. */
    public static final String TASK = "forecast";
    /** Origins per forward pass, to bound the memory of long series. */
    private static final int ORIGINS_PER_PASS = 1024;

    private final SequenceModel network;
    private final ForecastPreprocessing preprocessing;

    public ForecastModel(SequenceModel network, ForecastPreprocessing preprocessing) {
        this.network = Objects.requireNonNull(network, "network");
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        if (network.spec().features() != preprocessing.inputsPerStep() || network.spec().outputs() != preprocessing.outputs()) {
            throw new IllegalArgumentException("the network reads " + network.spec().features() + " and writes " + network.spec().outputs()
                    + " values, the preprocessing needs " + preprocessing.inputsPerStep() + " and " + preprocessing.outputs());
        }
    }

    public SequenceModel network() {
        return network;
    }

    public ForecastPreprocessing preprocessing() {
        return preprocessing;
    }

    /** How to read a CSV for this model: its target, features, time column and (if the user gave one) time format. */
    public TimeSeriesCsv.Options csvOptions() {
        return TimeSeriesCsv.Options.target(preprocessing.target()).withFeatures(preprocessing.features())
                .withTimeColumn(preprocessing.timeColumn()).withTimeFormat(preprocessing.timeFormat());
    }

    // ---- files

    /** Writes the bundle: weights, preprocessing, the given metrics and provenance. */
    public void save(Path file, TrainingProvenance provenance, Map<String, Object> metrics) {
        BundleFile.save(new ModelBundle(network, TASK, preprocessing.toJson(), metrics, provenance), file);
    }

    /**
     * Reads a forecasting bundle.
     *
     * @throws ModelFileException naming the file when it is not a forecasting bundle or is damaged
     */
    public static ForecastModel load(Path file) {
        return from(BundleFile.read(file), file.toString());
    }

    /** The forecaster in a bundle already read from {@code source}; {@link ModelFileException} when it is another task's. */
    public static ForecastModel from(ModelBundle bundle, String file) {
        if (!TASK.equals(bundle.task())) {
            throw new ModelFileException(file + ": a model for the '" + bundle.task() + "' task, not a forecaster");
        }
        try {
            return new ForecastModel(bundle.model(), ForecastPreprocessing.fromJson(bundle.preprocessing()));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": metadata 'bundle': " + e.getMessage(), e);
        }
    }

    // ---- forecasts

    /**
     * Forecasts from each origin in {@code origins} (each at least {@link ForecastPreprocessing#firstOrigin()}).
     *
     * @param series the target then the features, as {@link ForecastPreprocessing#map(TimeSeries)} reads them
     */
    public Predictions predict(TimeSeries series, int[] origins) {
        checkColumns(series);
        return predict(preprocessing.map(series), series.target(), origins);
    }

    Predictions predict(ForecastPreprocessing.Mapped mapped, double[] y, int[] origins) {
        ForecastPreprocessing p = preprocessing;
        int h = p.horizon(), w = p.window(), f = p.inputsPerStep();
        List<Double> levels = p.intervals();
        double[] quantiles = new double[levels.size()];
        for (int l = 0; l < quantiles.length; l++) quantiles[l] = Intervals.normalQuantile(0.5 + levels.get(l) / 2);
        double[] mean = new double[origins.length * h], originValues = new double[origins.length];
        double[][] lower = new double[levels.size()][origins.length * h], upper = new double[levels.size()][origins.length * h];
        for (int from = 0; from < origins.length; from += ORIGINS_PER_PASS) {
            int batch = Math.min(ORIGINS_PER_PASS, origins.length - from);
            float[] x = new float[w * batch * f]; // [W, B, F], time-major
            for (int b = 0; b < batch; b++) {
                int origin = origins[from + b];
                if (origin < p.firstOrigin() || origin >= y.length) {
                    throw new IllegalArgumentException("origin " + origin + " is outside " + p.firstOrigin() + ".." + (y.length - 1));
                }
                p.window(mapped, origin, x, b * f, batch * f);
            }
            Matrix out = network.forward(ModelInput.features(x, w, batch)); // [B, H] or [B, 2H]
            for (int b = 0; b < batch; b++) {
                int o = from + b, origin = origins[o];
                double level = mapped.level()[origin];
                originValues[o] = y[origin];
                for (int k = 0; k < h; k++) {
                    double m = out.get(b, k);
                    mean[o * h + k] = p.toUnits(level, m);
                    if (quantiles.length == 0) continue;
                    double sd = GaussianNegativeLogLikelihood.sigma(out.get(b, h + k));
                    for (int l = 0; l < quantiles.length; l++) {
                        lower[l][o * h + k] = p.toUnits(level, m - quantiles[l] * sd);
                        upper[l][o * h + k] = p.toUnits(level, m + quantiles[l] * sd);
                    }
                }
            }
        }
        return new Predictions(origins, h, originValues, mean, levels, lower, upper);
    }

    /**
     * The model's input for the forecast from one origin (the window of W steps ending there, batch 1), for looking
     * at what the network does with it.
     */
    public ModelInput windowInput(TimeSeries series, int origin) {
        checkColumns(series);
        ForecastPreprocessing p = preprocessing;
        if (origin < p.firstOrigin() || origin >= series.length()) {
            throw new IllegalArgumentException("origin " + origin + " is outside " + p.firstOrigin() + ".." + (series.length() - 1));
        }
        float[] x = new float[p.window() * p.inputsPerStep()];
        p.window(p.map(series), origin, x, 0, p.inputsPerStep());
        return ModelInput.features(x, p.window(), 1);
    }

    /** Every origin with a whole window, up to the last row (whose forecast lies past the end). */
    public Predictions predictAll(TimeSeries series) {
        int first = preprocessing.firstOrigin(), n = series.length();
        if (n <= first) throw tooShort(series, first + 1);
        int[] origins = new int[n - first];
        for (int i = 0; i < origins.length; i++) origins[i] = first + i;
        return predict(series, origins);
    }

    /**
     * Scores the forecasts of every origin whose H targets are all in the series, from row {@code fromRow} on
     * (the first target row), beside persistence and seasonal naive over the same pairs. MASE is scaled by the
     * seasonal-naive error of the rows before {@code fromRow}.
     */
    public ForecastEvaluation evaluate(TimeSeries series, int fromRow) {
        checkColumns(series);
        return evaluate(preprocessing.map(series), series, fromRow);
    }

    /** {@link #evaluate(TimeSeries, int)} from the first row a whole window and a season of history allow. */
    public ForecastEvaluation evaluate(TimeSeries series) {
        return evaluate(series, Math.max(preprocessing.firstOrigin(), preprocessing.season()) + 1);
    }

    ForecastEvaluation evaluate(ForecastPreprocessing.Mapped mapped, TimeSeries series, int fromRow) {
        int h = preprocessing.horizon(), m = preprocessing.season(), n = series.length();
        int first = Math.max(Math.max(preprocessing.firstOrigin(), m - 1), fromRow - 1);
        int last = n - 1 - h;
        if (last < first) throw tooShort(series, first + h + 1);
        int[] origins = new int[last - first + 1];
        for (int i = 0; i < origins.length; i++) origins[i] = first + i;
        double[] y = series.target();
        Predictions p = predict(mapped, y, origins);
        double[] actual = Baselines.actuals(y, origins, h);
        double scale;
        try {
            scale = Baselines.seasonalNaiveScale(Arrays.copyOf(y, first + 1), m);
        } catch (IllegalArgumentException e) {
            scale = Double.NaN; // too little history for a seasonal scale: MASE is left out
        }
        Map<Double, Double> coverage = new LinkedHashMap<>();
        for (int l = 0; l < p.levels().size(); l++) coverage.put(p.levels().get(l), Intervals.coverage(actual, p.lower()[l], p.upper()[l]));
        double[] originOfPair = new double[actual.length];
        for (int i = 0; i < actual.length; i++) originOfPair[i] = p.originValues()[i / h];
        return new ForecastEvaluation(ErrorMetrics.of(actual, p.mean(), scale),
                ErrorMetrics.of(actual, Baselines.persistence(y, origins, h), scale),
                ErrorMetrics.of(actual, Baselines.seasonalNaive(y, origins, h, m), scale), m, coverage,
                Intervals.directionalAccuracy(actual, p.mean(), originOfPair), origins.length, actual.length);
    }

    /** One step of a forecast past the end of a series; bounds are NaN past the trained horizon or without intervals. */
    public record ForecastStep(int step, String time, double value, double[] lower, double[] upper) {}

    /**
     * Continues the series {@code steps} steps past its last row: the first H from the last window directly, then
     * recursively, feeding the forecasts back in as if observed. Interval bounds are given for the first H steps
     * only: fed-back forecasts carry an error the Gaussian head does not know about.
     *
     * @throws IllegalArgumentException if the model has features and {@code steps} exceeds H (their future values
     *                                  are not known)
     */
    public List<ForecastStep> forecast(TimeSeries series, int steps) {
        checkColumns(series);
        ForecastPreprocessing p = preprocessing;
        int h = p.horizon(), n = series.length();
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (!p.features().isEmpty() && steps > h) {
            throw new IllegalArgumentException("forecasting " + steps + " steps needs the future values of " + p.features()
                    + " past the trained horizon of " + h + "; forecast at most " + h + " steps, or train without --features");
        }
        if (n <= p.firstOrigin()) throw tooShort(series, p.firstOrigin() + 1);
        double[] y = Arrays.copyOf(series.target(), n + steps);
        double[][] f = new double[p.features().size()][];
        for (int j = 0; j < f.length; j++) f[j] = Arrays.copyOf(series.values(1 + j), n + steps);
        List<ForecastStep> out = new ArrayList<>();
        int levels = p.intervals().size();
        for (int done = 0; done < steps; done += h) {
            int origin = n - 1 + done;
            double[] known = Arrays.copyOf(y, origin + 1);
            double[][] knownFeatures = new double[f.length][];
            for (int j = 0; j < f.length; j++) knownFeatures[j] = Arrays.copyOf(f[j], origin + 1);
            Predictions next = predict(p.map(series.source(), known, knownFeatures, null), known, new int[] {origin});
            for (int k = 0; k < h && done + k < steps; k++) {
                y[origin + 1 + k] = next.mean()[k];
                double[] lo = new double[levels], hi = new double[levels];
                for (int l = 0; l < levels; l++) {
                    lo[l] = done == 0 ? next.lower()[l][k] : Double.NaN;
                    hi[l] = done == 0 ? next.upper()[l][k] : Double.NaN;
                }
                out.add(new ForecastStep(done + k + 1, timeAfter(series, done + k + 1), next.mean()[k], lo, hi));
            }
        }
        return out;
    }

    /** The time {@code k} steps after the series' last row, written as the file writes its times; "+k" without times. */
    static String timeAfter(TimeSeries series, int k) {
        if (series.times() == null || series.timeFormat() == null || series.frequency().seasonalPeriod() < 1) return "+" + k;
        try {
            return series.timeFormat().format(series.frequency().plus(series.times()[series.length() - 1], k));
        } catch (RuntimeException e) {
            return "+" + k; // an irregular series has no next time
        }
    }

    private void checkColumns(TimeSeries series) {
        List<String> expected = new ArrayList<>();
        expected.add(preprocessing.target());
        expected.addAll(preprocessing.features());
        if (!series.columns().equals(expected)) {
            throw new DataFileException(series.source(), 0, null, "the model reads columns " + expected + " but the series has "
                    + series.columns());
        }
    }

    private DataFileException tooShort(TimeSeries series, int needed) {
        return new DataFileException(series.source(), 0, preprocessing.target(), "too few rows: " + series.length() + " rows, but a window of "
                + preprocessing.window() + " and a horizon of " + preprocessing.horizon() + " need at least " + needed);
    }
}
