package dev.rnn4j.data.forecast;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.data.series.TimeSeriesCsv;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.TrainingProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecasting workflow end to end on the bundled airline series: train, score, save, load, predict, forecast. */
class ForecasterTest {
    @TempDir
    static Path dir;
    static TimeSeries airline;
    static ForecastOutcome outcome;

    /** The repository's examples/data, found from the module directory the tests run in. */
    static Path bundledData(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/data").resolve(name);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new IllegalStateException("examples/data/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void trainWithTheDefaults() {
        airline = TimeSeriesCsv.read(bundledData("airline-passengers.csv"), TimeSeriesCsv.Options.target("Passengers"));
        outcome = Forecaster.fit(airline, ForecastSettings.forTarget("Passengers").build(), Forecaster.defaultTraining().build());
    }

    @Test
    void theDefaultsBeatBothBaselinesOnTheTestPart() {
        ForecastEvaluation test = outcome.test();
        assertEquals(12, test.season(), "monthly data: the season is inferred as 12");
        assertEquals(22, test.origins(), "the last 15% of 144 rows, one step ahead");
        assertTrue(test.model().rmse() < test.persistence().rmse(), test.toString());
        assertTrue(test.model().rmse() < test.seasonalNaive().rmse(), test.toString());
        assertTrue(test.model().mase() < Math.min(test.persistence().mase(), test.seasonalNaive().mase()), test.toString());
        assertTrue(outcome.result().steps() > 50, "training ran: " + outcome.result());
    }

    @Test
    void aLoadedBundlePredictsBitForBitAsTheModelInMemory() {
        Path file = dir.resolve("airline.rnn4j");
        Map<String, Object> metrics = outcome.metricsJson(null);
        outcome.model().save(file, TrainingProvenance.now("test", null, 1L, "sha256:" + airline.sha256()), metrics);
        ForecastModel loaded = ForecastModel.load(file);
        assertEquals(outcome.model().preprocessing(), loaded.preprocessing());

        TimeSeries again = TimeSeriesCsv.read(bundledData("airline-passengers.csv"), loaded.csvOptions());
        Predictions inMemory = outcome.model().predictAll(airline), fromFile = loaded.predictAll(again);
        assertArrayEquals(inMemory.mean(), fromFile.mean());
        assertEquals(144 - loaded.preprocessing().firstOrigin(), fromFile.origins().length);
        assertEquals(outcome.test(), loaded.evaluate(again, outcome.forecaster().split().testStart()));
        List<ForecastModel.ForecastStep> a = outcome.model().forecast(airline, 30), b = loaded.forecast(again, 30);
        for (int i = 0; i < 30; i++) assertEquals(a.get(i).value(), b.get(i).value());
    }

    @Test
    void forecastContinuesPastTheEndInTheFilesTimeFormat() {
        List<ForecastModel.ForecastStep> steps = outcome.model().forecast(airline, 25);
        assertEquals(25, steps.size());
        assertEquals("1961-01", steps.getFirst().time());
        assertEquals("1963-01", steps.getLast().time());
        for (ForecastModel.ForecastStep s : steps) assertTrue(s.value() > 200 && s.value() < 1500, s.toString());
        // the first step from the last window equals the prediction from the last origin
        Predictions last = outcome.model().predict(airline, new int[] {143});
        assertEquals(last.mean()[0], steps.getFirst().value());
    }

    @Test
    void predictionsTableHasOneRowPerOriginWithActualsWhereKnown() {
        Predictions p = outcome.model().predictAll(airline);
        List<List<String>> rows = ForecastTables.predictions(airline, p);
        assertEquals(List.of("origin", "h1_time", "h1_actual", "h1_forecast"), rows.getFirst());
        List<String> lastRow = rows.getLast();
        assertEquals(List.of("1960-12", "1961-01", ""), lastRow.subList(0, 3));
        List<String> firstRow = rows.get(1);
        int firstOrigin = outcome.model().preprocessing().firstOrigin();
        assertEquals(airline.timeLabels()[firstOrigin], firstRow.getFirst());
        assertEquals(Double.toString(airline.target()[firstOrigin + 1]), firstRow.get(2));
    }

    @Test
    void metricsJsonHasTheKeysTheChecksRead() {
        Map<String, Object> json = outcome.metricsJson(null);
        @SuppressWarnings("unchecked") Map<String, Object> test = (Map<String, Object>) json.get("test");
        @SuppressWarnings("unchecked") Map<String, Map<String, Object>> baselines = (Map<String, Map<String, Object>>) json.get("baselines");
        for (String key : List.of("rmse", "mae", "mape", "smape", "mase")) {
            assertTrue(test.get(key) instanceof Double, key + " in " + test);
            assertTrue(baselines.get("persistence").get(key) instanceof Double, key);
            assertTrue(baselines.get("seasonal_naive").get(key) instanceof Double, key);
        }
        @SuppressWarnings("unchecked") Map<String, Object> settings = (Map<String, Object>) json.get("settings");
        assertEquals(24L, ((Number) settings.get("window")).longValue(), "the chosen window is recorded: two seasons");
        assertEquals("diff", settings.get("transform"));
    }

    @Test
    void intervalsFromAGaussianHeadCoverTheirShare() {
        ForecastSettings settings = ForecastSettings.forTarget("Passengers").horizon(3).intervals(List.of(0.8, 0.95)).build();
        ForecastOutcome o = Forecaster.fit(airline, settings, Forecaster.defaultTraining().epochs(120).build());
        ForecastEvaluation test = o.test();
        double c80 = test.coverage().get(0.8), c95 = test.coverage().get(0.95);
        assertTrue(c80 <= c95, test.coverage().toString());
        assertTrue(c95 >= 0.5, "a 95% interval that misses half the values is broken: " + test.coverage());
        Predictions p = o.model().predictAll(airline);
        for (int i = 0; i < p.mean().length; i++) {
            assertTrue(p.lower()[1][i] < p.lower()[0][i] && p.lower()[0][i] < p.mean()[i] && p.mean()[i] < p.upper()[0][i]
                    && p.upper()[0][i] < p.upper()[1][i], "nested intervals around the mean at " + i);
        }
        assertEquals(List.of("origin", "h1_time", "h1_actual", "h1_forecast", "h1_lower_0.8", "h1_upper_0.8", "h1_lower_0.95",
                "h1_upper_0.95"), ForecastTables.predictions(airline, p).getFirst().subList(0, 8));
        List<ForecastModel.ForecastStep> steps = o.model().forecast(airline, 5);
        assertTrue(steps.get(2).lower()[0] < steps.get(2).value(), "bounds within the trained horizon");
        assertTrue(Double.isNaN(steps.get(3).lower()[0]), "no bounds past the trained horizon");
    }

    @Test
    void backtestScoresEachFoldOnTheBlockAfterItsTrainingRows() {
        Forecaster forecaster = Forecaster.prepare(airline, ForecastSettings.forTarget("Passengers").build(),
                Forecaster.defaultTraining().epochs(40).build());
        List<ForecastEvaluation> folds = forecaster.backtest(3, null);
        assertEquals(3, folds.size());
        for (ForecastEvaluation fold : folds) assertEquals(22, fold.origins());
        assertTrue(folds.get(0).persistence().rmse() != folds.get(2).persistence().rmse(), "each fold scores a different block");
        Map<String, Object> json = ForecastEvaluation.summary(folds);
        assertEquals(3, json.get("folds"));
    }

    @Test
    void badSeriesGetOneClearMessage() {
        TrainingSettings quick = Forecaster.defaultTraining().epochs(1).build();
        double[] ramp = new double[40];
        for (int i = 0; i < ramp.length; i++) ramp[i] = 10 + (i % 7) + 0.5 * i;

        DataFileException e = assertThrows(DataFileException.class, () -> Forecaster.prepare(TimeSeries.of("s.csv", List.of("y"), ramp),
                ForecastSettings.forTarget("y").window(30).build(), quick));
        assertTrue(e.getMessage().startsWith("s.csv: column 'y': too few rows for a window of 30 and a horizon of 1"), e.getMessage());

        double[] constant = new double[40];
        java.util.Arrays.fill(constant, 5);
        e = assertThrows(DataFileException.class, () -> Forecaster.prepare(TimeSeries.of("c.csv", List.of("y"), constant),
                ForecastSettings.forTarget("y").transform(Transform.NONE).build(), quick));
        assertTrue(e.getMessage().contains("c.csv: column 'y': the series is constant over the training part"), e.getMessage());

        double[] withZero = ramp.clone();
        withZero[9] = 0;
        e = assertThrows(DataFileException.class, () -> Forecaster.prepare(TimeSeries.of("z.csv", List.of("y"), withZero),
                ForecastSettings.forTarget("y").transform(Transform.LOG).build(), quick));
        assertTrue(e.getMessage().startsWith("z.csv: line 10, column 'y': "), e.getMessage());
        assertTrue(e.getMessage().contains("log needs positive values"), e.getMessage());
    }

    @Test
    void aBundleOfAnotherTaskOrNoneIsRefused() throws Exception {
        Path plain = dir.resolve("plain.rnn4j");
        dev.rnn4j.io.SequenceModelFile.save(outcome.model().network(), plain, null);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ForecastModel.load(plain));
        assertTrue(e.getMessage().contains("without a task bundle"), e.getMessage());
        assertNull(null);
    }
}
