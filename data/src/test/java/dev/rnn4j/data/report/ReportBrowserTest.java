package dev.rnn4j.data.report;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.synthetic.MemoryTask;
import dev.rnn4j.data.synthetic.MemoryTaskRun;
import dev.rnn4j.data.synthetic.MemoryTaskSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    @Test
    void trainingPageRendersInABrowser(@TempDir Path dir) throws Exception {
        Path browser = PageChecks.browser();
        Path page = addingReport(dir.resolve("gru"), CellType.GRU);
        String html = Files.readString(page);
        assertFalse(html.contains("http://") && html.contains("src=\"http"), "no remote sources");
        assertTrue(html.contains("Gate saturation"), "the GRU's gates are drawn");
        try (HeadlessChromium chromium = HeadlessChromium.start(browser, 1100, 900)) {
            // loss, gradient norm, learning rate, gradient by time step, gate saturation; heatmap and its colour bar
            PageChecks.assertRendersCleanly(chromium, page, 5);

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
