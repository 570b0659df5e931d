package dev.rnn4j.data.forecast;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.loss.GaussianNegativeLogLikelihood;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Trains a forecaster on a series: the workflow behind {@code rnn4j train forecast}, for Java users and Spark alike.
 *
 * <pre>{@code
 * TimeSeries series = TimeSeriesCsv.read(Path.of("airline.csv"), TimeSeriesCsv.Options.target("Passengers"));
 * ForecastOutcome outcome = Forecaster.fit(series, ForecastSettings.forTarget("Passengers").build(), Forecaster.defaultTraining().build());
 * outcome.test().model().rmse();                      // beside outcome.test().persistence().rmse()
 * outcome.model().save(Path.of("airline.rnn4j"), provenance, outcome.metricsJson());
 * }</pre>
 *
 * <p>Call order for a run the caller watches and may stop: {@link #prepare} (checks the data, splits it
 * chronologically, fits the transform and scalers on the training part, cuts the windows), {@link #newRun} (add
 * listeners, optionally {@link TrainingRun#resume()}), then {@link #fit(TrainingRun)}.
 */
public final class Forecaster {
    /** Small batches: a monthly series of a few years gives only a hundred windows or so. */
    public static final int DEFAULT_BATCH = 16;
    public static final int DEFAULT_EPOCHS = 500;
    /** Patient early stopping: with so few examples the validation loss is noisy from epoch to epoch. */
    public static final int DEFAULT_PATIENCE = 30;

    private final TimeSeries series;
    private final ForecastSettings settings;
    private final TrainingSettings training;
    private final ForecastSplit split;
    private final ForecastPreprocessing preprocessing;
    private final ForecastPreprocessing.Mapped mapped;
    private final Dataset train;
    private final Dataset validation;

    private Forecaster(TimeSeries series, ForecastSettings settings, TrainingSettings training, ForecastSplit split) {
        this.series = series;
        this.settings = settings;
        this.training = training;
        this.split = split;
        this.preprocessing = fitPreprocessing(series, settings, split);
        this.mapped = preprocessing.map(series);
        int h = preprocessing.horizon();
        this.train = examples(preprocessing.firstOrigin(), split.validationStart() - 1 - h, settings.stride(), "training");
        this.validation = examples(Math.max(preprocessing.firstOrigin(), split.validationStart() - 1), split.testStart() - 1 - h, 1,
                "validation");
        int testOrigins = series.length() - 1 - h - Math.max(preprocessing.firstOrigin(), split.testStart() - 1) + 1;
        if (testOrigins < 1) throw tooFewRows("test");
    }

    /**
     * Checks the series against the settings and prepares the training examples.
     *
     * @throws DataFileException naming the file (and the row and column where one is at fault): too few rows for
     *                           the window and horizon, a constant training part, a value the transform cannot take
     */
    public static Forecaster prepare(TimeSeries series, ForecastSettings settings, TrainingSettings training) {
        return new Forecaster(series, settings, training, ForecastSplit.of(series, settings));
    }

    /** Trains with the defaults of {@link TrainingRun} and no run directory, then scores the test part. */
    public static ForecastOutcome fit(TimeSeries series, ForecastSettings settings, TrainingSettings training) {
        Forecaster forecaster = prepare(series, settings, training);
        return forecaster.fit(forecaster.newRun(null));
    }

    /** The training defaults for forecasting: LSTM 64 x 1, batch 16, up to 500 epochs with patience 30, Adam 3e-3, clip 1. */
    public static TrainingSettings.Builder defaultTraining() {
        return TrainingSettings.builder().batchSize(DEFAULT_BATCH).epochs(DEFAULT_EPOCHS).patience(DEFAULT_PATIENCE);
    }

    // ---- preparation

    private static ForecastPreprocessing fitPreprocessing(TimeSeries series, ForecastSettings s, ForecastSplit split) {
        int season = s.season() > 0 ? s.season() : series.frequency().seasonalPeriod();
        Transform transform = s.transform();
        int first = transform.differenced() ? 1 : 0;
        int h = s.horizon();
        int window = s.window() > 0 ? s.window()
                : Math.max(2, Math.min(Math.clamp(2L * season, 8, 64), (split.validationStart() - first - h) / 3));
        String target = series.columns().getFirst();
        double[] z = ForecastPreprocessing.levels(series.source(), target, transform, series.target(), split.validationStart(), series.lines());
        double[] u = new double[z.length];
        for (int i = 0; i < u.length; i++) u[i] = i < first ? Double.NaN : ForecastPreprocessing.unscaledInput(transform, z, i);
        Scaler targetScaler = fitScaler(series, s.scaling(), u, first, split.validationStart(), target);
        List<Scaler> featureScalers = new ArrayList<>();
        for (int j = 0; j < s.features().size(); j++) {
            featureScalers.add(fitScaler(series, s.scaling(), series.values(1 + j), 0, split.validationStart(), s.features().get(j)));
        }
        return new ForecastPreprocessing(target, s.features(), series.timeColumn(), s.timeFormat(), series.frequency(), season, window, h,
                transform, targetScaler, featureScalers, s.intervals());
    }

    private static Scaler fitScaler(TimeSeries series, ScalingKind kind, double[] values, int from, int to, String column) {
        try {
            return Scaler.fit(kind, values, from, to);
        } catch (IllegalArgumentException e) {
            int[] lines = series.lines();
            throw new DataFileException(series.source(), 0, column, e.getMessage() + " (training part: lines " + lines[from] + ".."
                    + lines[to - 1] + ")");
        }
    }

    private Dataset examples(int firstOrigin, int lastOrigin, int stride, String part) {
        if (lastOrigin < firstOrigin) throw tooFewRows(part);
        int w = preprocessing.window(), f = preprocessing.inputsPerStep();
        List<Example> examples = new ArrayList<>();
        for (int origin = firstOrigin; origin <= lastOrigin; origin += stride) {
            float[] x = new float[w * f]; // [W, F]
            preprocessing.window(mapped, origin, x, 0, f);
            examples.add(Example.ofFeatures(x, w).withValues(preprocessing.target(mapped, origin)));
        }
        return Dataset.of(examples);
    }

    private DataFileException tooFewRows(String part) {
        return new DataFileException(series.source(), 0, series.columns().getFirst(), "too few rows for a window of " + preprocessing.window()
                + " and a horizon of " + preprocessing.horizon() + ": the " + part + " part has no forecast whose window and targets fit ("
                + series.length() + " rows: " + split.trainingRows() + " training, " + split.validationRows() + " validation, "
                + split.testRows() + " test); use a smaller --window or --horizon, or more data");
    }

    // ---- training

    /** The network this workflow trains: the settings' recurrent network over the windows, a dense head on the last step. */
    public SequenceModel newNetwork() {
        return training.modelBuilder().features(preprocessing.inputsPerStep()).head(Head.LAST_STEP).outputs(preprocessing.outputs()).build();
    }

    /** MSE for point forecasts, the Gaussian negative log-likelihood for a model with intervals. */
    public Loss loss() {
        return preprocessing.probabilistic() ? new GaussianNegativeLogLikelihood() : new MeanSquaredError();
    }

    /** A run over this workflow's examples, checkpointing to {@code runDirectory} (null for none). */
    public TrainingRun newRun(Path runDirectory) {
        return new TrainingRun(newNetwork(), loss(), training, train, runDirectory);
    }

    /** Trains; unless the run was interrupted or stopped by a NaN, scores the test part and, for the record, the validation part. */
    public ForecastOutcome fit(TrainingRun run) {
        long start = System.nanoTime();
        TrainResult result = run.fit(validation);
        ForecastModel model = new ForecastModel(run.trainer().model(), preprocessing);
        ForecastEvaluation test = !result.finished() ? null : model.evaluate(mapped, series, split.testStart());
        return new ForecastOutcome(model, result, test, this, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Backtesting over {@code folds} rolling origins with an expanding window: fold k trains from scratch on the rows
     * before its test part and scores the next test-part-sized block; the last fold is this split. A single split
     * can flatter a model; the spread over folds shows by how much.
     *
     * @param listeners a listener for fold k (1-based), or null
     */
    public List<ForecastEvaluation> backtest(int folds, IntFunction<TrainingListener> listeners) {
        if (folds < 2) throw new IllegalArgumentException("backtesting needs at least 2 folds, got " + folds);
        int testRows = split.testRows(), validationRows = split.validationRows();
        List<ForecastEvaluation> results = new ArrayList<>();
        for (int k = 1; k <= folds; k++) {
            int end = series.length() - (folds - k) * testRows;
            int testStart = end - testRows, validationStart = testStart - validationRows;
            if (validationStart < 2) {
                throw new DataFileException(series.source(), 0, null, "too few rows for " + folds + " backtest folds of " + testRows
                        + " test rows each; use fewer folds");
            }
            Forecaster fold = new Forecaster(series.slice(0, end), settings.toBuilder().window(preprocessing.window()).build(), training,
                    new ForecastSplit(validationStart, testStart, end));
            TrainingRun run = fold.newRun(null);
            if (listeners != null && listeners.apply(k) != null) run.listener(listeners.apply(k));
            results.add(fold.fit(run).test());
        }
        return results;
    }

    // ---- what was chosen

    public ForecastPreprocessing preprocessing() {
        return preprocessing;
    }

    public ForecastSplit split() {
        return split;
    }

    public TimeSeries series() {
        return series;
    }

    public ForecastSettings settings() {
        return settings;
    }

    public TrainingSettings training() {
        return training;
    }

    public int trainingExamples() {
        return train.size();
    }

    public int validationExamples() {
        return validation.size();
    }

    /** The data as the metrics file records it: file, rows, fingerprint, frequency, the split and the examples. */
    public Map<String, Object> dataJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", series.source());
        json.put("rows", series.length());
        json.put("dropped_rows", series.droppedRows());
        json.put("sha256", series.sha256());
        json.put("columns", series.columns());
        json.put("time_column", series.timeColumn());
        json.put("frequency", series.frequency().name().toLowerCase(java.util.Locale.ROOT));
        json.put("first_time", series.timeLabels()[0]);
        json.put("last_time", series.timeLabels()[series.length() - 1]);
        json.put("training_rows", split.trainingRows());
        json.put("validation_rows", split.validationRows());
        json.put("test_rows", split.testRows());
        json.put("test_from", series.timeLabels()[split.testStart()]);
        json.put("training_examples", train.size());
        json.put("validation_examples", validation.size());
        return json;
    }

    /** The settings with every automatic choice resolved (window, season), as the metrics file records them. */
    public Map<String, Object> settingsJson() {
        Map<String, Object> json = new LinkedHashMap<>(settings.toJson());
        json.put("window", preprocessing.window());
        json.put("season", preprocessing.season());
        json.putAll(training.toJson());
        return json;
    }
}
