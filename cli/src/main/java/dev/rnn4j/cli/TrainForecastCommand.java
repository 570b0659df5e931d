package dev.rnn4j.cli;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.forecast.ForecastEvaluation;
import dev.rnn4j.data.forecast.ForecastOutcome;
import dev.rnn4j.data.forecast.ForecastSettings;
import dev.rnn4j.data.forecast.Forecaster;
import dev.rnn4j.data.report.ForecastView;
import dev.rnn4j.data.report.InspectionView;
import dev.rnn4j.data.forecast.ScalingKind;
import dev.rnn4j.data.forecast.Transform;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.data.series.TimeSeriesCsv;
import dev.rnn4j.io.TrainingProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rnn4j train forecast}: maps the options to {@link ForecastSettings} and {@link TrainingSettings}, runs the
 * {@link Forecaster} with progress, Ctrl-C and resume, prints the scores beside the baselines and writes the files.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        sortOptions = false, defaultValueProvider = TaskDefaults.Forecast.class,
        description = {"Forecasts a time series from a CSV: trains a recurrent network on windows of the past, H steps ahead.",
            "%nThe rows are split in time order into training, validation (early stopping) and test parts; the transform "
            + "and the scalers are fitted on the training part only. The test part is scored (RMSE, MAE, MAPE, sMAPE on 0-200, "
            + "MASE scaled by the in-sample seasonal-naive error) beside persistence and the seasonal-naive forecast. "
            + "--out writes one bundle with everything evaluate, predict and forecast need. With --out, checkpoints go to "
            + "--run-dir (default MODEL.run) every epoch; Ctrl-C stops after the current step, writes a checkpoint and the best "
            + "model so far, and prints the command that resumes.", ""})
final class TrainForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CsvOptions csv;

    @Option(names = "--target", required = true, paramLabel = "COL", description = "the column to forecast")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "A,B", description = "covariate columns, read over the window with the target")
    List<String> features = new ArrayList<>();

    @Option(names = "--time-column", paramLabel = "COL", description = "the time column (default: detected by name or values)")
    String timeColumn;

    @Option(names = "--time-format", paramLabel = "PATTERN",
            description = "a java.time pattern for the time column, e.g. dd.MM.yyyy (default: detected; yyyy-MM-dd, yyyy-MM, dd-MM-yy, "
                    + "timestamps, ...)")
    String timeFormat;

    @Option(names = "--window", defaultValue = "0", paramLabel = "W", description = "steps of history per forecast; 0 = two seasons (8..64)")
    int window;

    @Option(names = "--horizon", defaultValue = "" + ForecastSettings.DEFAULT_HORIZON, paramLabel = "H", description = "steps ahead, predicted at once")
    int horizon;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "N", description = "steps between training windows")
    int stride;

    @Option(names = "--season", defaultValue = "0", paramLabel = "M",
            description = "the seasonal period; 0 = from the times: 12 monthly, 7 daily, 52 weekly, 24 hourly, 4 quarterly")
    int season;

    @Option(names = "--transform", defaultValue = "diff", paramLabel = "T", completionCandidates = TransformNames.class,
            description = "${COMPLETION-CANDIDATES}: the model sees changes (diff), log values, or log returns (logdiff); "
                    + "undone before every metric and output")
    Transform transform;

    @Option(names = "--scaling", defaultValue = "standard", paramLabel = "S", completionCandidates = ScalingNames.class,
            description = "${COMPLETION-CANDIDATES}, fitted on the training part")
    ScalingKind scaling;

    @Option(names = "--validation-fraction", defaultValue = "" + ForecastSettings.DEFAULT_VALIDATION_FRACTION, paramLabel = "F",
            description = "share of the rows, before the test part, that validates")
    double validationFraction;

    @Option(names = "--test-fraction", defaultValue = "" + ForecastSettings.DEFAULT_TEST_FRACTION, paramLabel = "F",
            description = "share of the rows at the end that is the test part")
    double testFraction;

    @Option(names = "--test-from", paramLabel = "TIME", description = "the test part starts here instead, e.g. 1959-01")
    String testFrom;

    @Option(names = "--intervals", split = ",", paramLabel = "P,P",
            description = "prediction intervals, e.g. 0.8,0.95: trains a Gaussian head (mean and scale) and reports coverage")
    List<Double> intervals = new ArrayList<>();

    @Option(names = "--backtest", defaultValue = "0", paramLabel = "K",
            description = "also score K rolling origins (expanding window, retrained each time) and report mean and spread")
    int backtest;

    @Mixin
    NetworkOptions network;

    @Mixin
    TrainOptions train;

    @Mixin
    RunOptions files;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        RunSupport support = new RunSupport(spec, train);
        support.checkOutputs(files);
        Path checkpoints = files.checkpoints();

        TimeSeries series = TimeSeriesCsv.read(csv.file, csv.applyTo(TimeSeriesCsv.Options.target(target).withFeatures(features)
                .withTimeColumn(timeColumn).withTimeFormat(timeFormat)));
        Forecaster forecaster = Forecaster.prepare(series, support.fromOptions(this::forecastSettings),
                support.fromOptions(() -> network.settings(Forecaster.defaultTraining(), train, spec.commandLine().getParseResult())));
        printPlan(err, forecaster);
        Integer example = files.report.inspectExample();
        if (example != null && (example < forecaster.preprocessing().firstOrigin() || example >= series.length())) {
            throw new UsageException("--inspect-example " + example + ": the window must end at a row from "
                    + forecaster.preprocessing().firstOrigin() + " (the first whole window) to " + (series.length() - 1));
        }

        TrainingRun run = support.fromOptions(() -> forecaster.newRun(checkpoints));
        if (files.resuming()) run.resume();
        long start = System.nanoTime();
        ForecastOutcome outcome = support.train(run, files, () -> forecaster.fit(run));
        if (!outcome.result().finished()) {
            support.writeReport(series.source() + ": " + target + " (unfinished)", List::of);
            return support.unfinished(run, outcome.result(), files.out, () -> outcome.model().save(files.out, provenance(support, run, series),
                    support.metrics(outcome.metricsJson(null), Double.NaN)));
        }
        support.writeReport("forecast of " + target + ", " + series.source(), () -> {
            List<Map<String, Object>> views = new ArrayList<>(List.of(ForecastView.record(outcome.model(), series, forecaster.split().testStart())));
            if (example != null) {
                int window = outcome.model().preprocessing().window();
                List<List<Double>> values = new ArrayList<>();
                for (int row = example - window + 1; row <= example; row++) values.add(List.of(series.target()[row]));
                views.add(InspectionView.exampleRecord(outcome.model().network(), outcome.model().windowInput(series, example), example,
                        values, null));
            }
            return views;
        });

        List<ForecastEvaluation> folds = null;
        if (backtest > 0) {
            err.println("backtesting over " + backtest + " folds...");
            folds = forecaster.backtest(backtest, fold -> null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ForecastReport.print(stdout, "test part from " + series.timeLabels()[forecaster.split().testStart()], outcome.test());
        if (folds != null) ForecastReport.printBacktest(stdout, folds);

        Map<String, Object> metrics = support.metrics(outcome.metricsJson(folds), seconds);
        if (files.out != null) {
            outcome.model().save(files.out, provenance(support, run, series), metrics);
            stdout.println("model written to " + files.out);
        }
        support.writeMetrics(metrics);
        return Main.OK;
    }

    private ForecastSettings forecastSettings() {
        return ForecastSettings.forTarget(target).features(features).window(window).horizon(horizon).stride(stride).season(season)
                .transform(transform).scaling(scaling).validationFraction(validationFraction).testFraction(testFraction)
                .testFrom(testFrom).intervals(intervals).timeFormat(timeFormat).build();
    }

    /** The choices made, once, before training: what the defaults chose is visible without reading --help. */
    private static void printPlan(PrintWriter err, Forecaster f) {
        var s = f.split();
        var p = f.preprocessing();
        TrainingSettings t = f.training();
        TimeSeries series = f.series();
        err.printf(Locale.ROOT, "%s: %d rows of '%s'%s, %s; training %d, validation %d, test %d rows%s%n", series.source(), series.length(),
                p.target(), p.features().isEmpty() ? "" : " with " + p.features(), series.frequency().name().toLowerCase(Locale.ROOT),
                s.trainingRows(), s.validationRows(), s.testRows(),
                series.droppedRows() > 0 ? "; " + series.droppedRows() + " rows dropped for a missing, NaN or infinite value" : "");
        err.printf(Locale.ROOT, "forecast: window %d, horizon %d, season %d, transform %s, %s scaling%s; %d training and %d validation windows%n",
                p.window(), p.horizon(), p.season(), p.transform().name().toLowerCase(Locale.ROOT),
                f.settings().scaling().name().toLowerCase(Locale.ROOT), p.probabilistic() ? ", Gaussian head for intervals " + p.intervals() : "",
                f.trainingExamples(), f.validationExamples());
        err.printf(Locale.ROOT, "model: %s %d x %d%s; up to %d epochs (patience %d), batch %d, Adam %s, clip %s, seed %d, %d threads%n",
                t.cell().name().toLowerCase(Locale.ROOT), t.hiddenSize(), t.layers(), t.dropout() > 0 ? ", dropout " + t.dropout() : "",
                t.epochs(), t.patience(), t.batchSize(), t.learningRate(), t.clipNorm(), t.seed(), t.threads());
        err.flush();
    }

    private static TrainingProvenance provenance(RunSupport support, TrainingRun run, TimeSeries series) {
        return run.provenance(support.commandLine(), "sha256:" + series.sha256());
    }

    static final class TransformNames extends LowerCaseNames<Transform> {
        TransformNames() {
            super(Transform.class);
        }
    }

    static final class ScalingNames extends LowerCaseNames<ScalingKind> {
        ScalingNames() {
            super(ScalingKind.class);
        }
    }
}
