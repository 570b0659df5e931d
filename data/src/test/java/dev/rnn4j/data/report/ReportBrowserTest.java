package dev.rnn4j.data.report;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.synthetic.MemoryTask;
import dev.rnn4j.data.synthetic.MemoryTaskRun;
import dev.rnn4j.data.synthetic.MemoryTaskSettings;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of report page, opened in headless Chromium (see {@link PageChecks}). */
class ReportBrowserTest {

    /** A short adding-problem run of a GRU with its log and report: the training page with gradients and gates. */
    static Path addingReport(Path dir, CellType cell) {
        MemoryTaskSettings settings = MemoryTaskSettings.defaults(MemoryTask.ADDING).withCell(cell).withLength(12).withSteps(30)
                .withBatch(8).withHiddenSize(6).withThreads(1);
        MemoryTaskRun run = MemoryTaskRun.prepare(settings);
        try (RunRecorder recorder = RunRecorder.open(null, dir, false, run.trainer())) {
            recorder.listeners().forEach(run::addListener);
            run.train();
            return recorder.writeReport("adding, " + cell);
        }
    }

    /** A tiny LSTM's inspection and one sequence's states, and task views from lines in the log's documented format. */
    static Path taskViewsReport(Path dir) {
        SequenceModel model = SequenceModel.builder().features(2).cell(CellType.LSTM).hiddenSize(5).head(Head.LAST_STEP).outputs(1).seed(3).build();
        int steps = 9;
        float[] x = new float[steps * 2];
        List<List<Double>> series = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            x[2 * t] = (float) Math.sin(t);
            x[2 * t + 1] = t % 3 == 0 ? 1 : 0;
            series.add(List.of((double) x[2 * t], (double) x[2 * t + 1]));
        }
        try (RunRecorder recorder = RunRecorder.openViews(dir)) {
            recorder.record(InspectionView.record(model, "tiny.rnn4j", Map.of("source", "a test")));
            recorder.record(InspectionView.exampleRecord(model, ModelInput.features(x, steps, 1), 0, series, null));
            List<String> time = new ArrayList<>();
            List<Double> actual = new ArrayList<>(), predicted = new ArrayList<>(), lower = new ArrayList<>(), upper = new ArrayList<>();
            for (int t = 0; t < 30; t++) {
                time.add("2024-" + (t + 1));
                actual.add(10 + Math.sin(t / 3.0));
                predicted.add(t == 0 ? null : 10 + Math.sin((t - 0.5) / 3.0));
                lower.add(t == 0 ? null : predicted.getLast() - 0.5);
                upper.add(t == 0 ? null : predicted.getLast() + 0.5);
            }
            Map<String, Object> forecast = new LinkedHashMap<>();
            forecast.put("event", "forecast");
            forecast.put("source", "series.csv");
            forecast.put("target", "y");
            forecast.put("season", 4);
            forecast.put("scored_from", 22);
            forecast.put("time", time);
            forecast.put("actual", actual);
            forecast.put("model", predicted);
            forecast.put("persistence", predicted);
            forecast.put("seasonal_naive", predicted);
            forecast.put("intervals", List.of(Map.of("level", 0.8, "lower", lower, "upper", upper)));
            recorder.record(forecast);
            recorder.record(Map.of("event", "classification", "source", "test part", "labels", List.of("a", "b"),
                    "confusion", List.of(List.of(40, 3), List.of(5, 52)), "roc_auc", 0.93,
                    "roc", List.of(List.of(0.0, 0.0), List.of(0.1, 0.7), List.of(0.3, 0.9), List.of(1.0, 1.0)),
                    "worst", List.of(Map.of("id", "r7", "label", "a", "predicted", "b", "p_label", 0.04, "attention", List.of(0.1, 0.6, 0.3)))));
            recorder.record(Map.of("event", "language_model", "source", "valid.txt",
                    "samples", List.of(Map.of("temperature", 0.5, "text", "the cat <sat>")),
                    "passage", List.of(Map.of("token", "a"), Map.of("token", "b", "loss", 2.5), Map.of("token", "&", "loss", 0.2))));
            return recorder.writeReport("task views");
        }
    }

    @Test
    void eachKindOfPageRendersInABrowser(@TempDir Path dir) throws Exception {
        Path browser = PageChecks.browser();
        Path page = addingReport(dir.resolve("gru"), CellType.GRU);
        String html = Files.readString(page);
        assertFalse(html.contains("http://") && html.contains("src=\"http"), "no remote sources");
        assertTrue(html.contains("Gate saturation"), "the GRU's gates are drawn");
        try (HeadlessChromium chromium = HeadlessChromium.start(browser, 1100, 900)) {
            // loss, gradient norm, learning rate, gradient by time step, gate saturation; heatmap and its colour bar
            PageChecks.assertRendersCleanly(chromium, page, 5);
            // the recurrent parameters' histograms, the example's input, the forecast, the ROC
            Path views = taskViewsReport(dir.resolve("views"));
            assertTrue(Files.readString(views).contains("&lt;sat&gt;"), "text is escaped");
            PageChecks.assertRendersCleanly(chromium, views, 6);

            // the checks themselves see a request and a console error when a page makes them
            Path leaky = dir.resolve("leaky.html");
            Files.writeString(leaky, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\">"
                    + "<script>console.error('boom')</script></body></html>");
            HeadlessChromium.PageVisit visit = chromium.visit(leaky, "true", "1");
            assertEquals(List.of("http://127.0.0.1:9/x.png"), visit.requests());
            assertTrue(visit.errors().stream().anyMatch(e -> e.contains("boom")), "errors: " + visit.errors());
        }
    }
}
