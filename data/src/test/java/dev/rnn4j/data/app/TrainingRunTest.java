package dev.rnn4j.data.app;

import dev.rnn4j.data.forecast.ForecastOutcome;
import dev.rnn4j.data.forecast.ForecastSettings;
import dev.rnn4j.data.forecast.Forecaster;
import dev.rnn4j.data.series.TimeSeries;
import dev.rnn4j.io.Json;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run stopped as Ctrl-C stops it, then resumed from its run directory, ends where an uninterrupted run ends. */
class TrainingRunTest {
    @TempDir
    Path dir;

    private static TimeSeries series() {
        double[] y = new double[90];
        for (int i = 0; i < y.length; i++) y[i] = 20 + 0.3 * i + 5 * Math.sin(i * 2 * Math.PI / 7) + ((i * 37) % 11) * 0.2;
        return TimeSeries.of("s.csv", List.of("y"), y);
    }

    @Test
    void stoppedThenResumedEqualsUninterruptedBitForBit() throws Exception {
        ForecastSettings settings = ForecastSettings.forTarget("y").season(7).build();
        TrainingSettings training = Forecaster.defaultTraining().epochs(12).hiddenSize(8).build();
        ForecastOutcome expected = Forecaster.fit(series(), settings, training);
        assertFalse(expected.interrupted());

        Path runDir = dir.resolve("run");
        Forecaster first = Forecaster.prepare(series(), settings, training);
        TrainingRun run = first.newRun(runDir);
        Path log = dir.resolve("log.jsonl");
        try (JsonlLog jsonl = new JsonlLog(log, false)) {
            run.listener(jsonl).listener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    if (m.step() == 9) run.stop();
                }
            });
            ForecastOutcome stopped = first.fit(run);
            assertTrue(stopped.interrupted());
            assertEquals(null, stopped.test(), "an interrupted run is not scored");
        }
        assertTrue(Files.isRegularFile(TrainingRun.checkpoint(runDir)));

        Forecaster second = Forecaster.prepare(series(), settings, training);
        TrainingRun resumed = second.newRun(runDir).resume();
        try (JsonlLog jsonl = new JsonlLog(log, true)) {
            ForecastOutcome actual = second.fit(resumed.listener(jsonl));
            assertEquals(expected.result(), actual.result());
            assertEquals(expected.test(), actual.test());
            List<NamedParameter> a = expected.model().network().namedParameters(), b = actual.model().network().namedParameters();
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).parameter().value(), b.get(i).parameter().value(), a.get(i).name());
        }

        List<String> lines = Files.readAllLines(log);
        Map<String, Object> firstLine = Json.parseObject(lines.getFirst());
        assertEquals("step", firstLine.get("event"));
        assertEquals(1L, firstLine.get("step"));
        long steps = lines.stream().filter(l -> l.contains("\"event\":\"step\"")).count();
        assertEquals(expected.result().steps(), steps, "every step logged once across the stop and the resume");
        assertEquals(2, lines.stream().filter(l -> l.contains("\"event\":\"end\"")).count());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event\":\"epoch\"") && l.contains("\"validation_loss\":")));
    }
}
