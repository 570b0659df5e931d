package dev.rnn4j.data.report;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.synthetic.MemoryTask;
import dev.rnn4j.data.synthetic.MemoryTaskRun;
import dev.rnn4j.data.synthetic.MemoryTaskSettings;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log a report reads: what TrainingProbe samples into it, and how RunLog reads it back. */
class RunLogTest {

    /** The logged ||dL/dh_t|| of a sampled step are that step's own, and the gate fractions are fractions. */
    @Test
    void probeLogsTheSampledStepsOwnGradients(@TempDir Path dir) {
        MemoryTaskRun run = MemoryTaskRun.prepare(MemoryTaskSettings.defaults(MemoryTask.ADDING).withCell(CellType.LSTM).withLength(7)
                .withSteps(12).withBatch(4).withHiddenSize(5).withThreads(1));
        double[][] seen = new double[13][];
        try (RunRecorder recorder = RunRecorder.open(dir.resolve("run.jsonl"), null, false, run.trainer())) {
            recorder.listeners().forEach(run::addListener);
            run.addListener(new TrainingListener() {
                @Override
                public void onStep(StepMetrics m) {
                    seen[(int) m.step()] = run.trainer().model().recurrent().gradientNormsByStep();
                }
            });
            run.train();
        }
        RunLog log = RunLog.read(dir.resolve("run.jsonl"));
        assertEquals(12, log.steps().size());
        assertEquals(1.0, log.clipNorm());
        assertEquals(12, log.gradients().size(), "12 planned steps: every step is sampled");
        for (RunLog.GradientSample g : log.gradients()) {
            assertEquals(7, g.norms().length);
            assertArrayEquals(seen[(int) g.step()], g.norms(), 1e-12, "step " + g.step());
        }
        for (RunLog.GateSample g : log.gates()) {
            assertEquals(List.of("input", "forget", "output"), List.copyOf(g.nearZero().keySet()));
            g.nearZero().values().forEach(v -> assertTrue(v >= 0 && v <= 1));
            g.nearOne().values().forEach(v -> assertTrue(v >= 0 && v <= 1));
        }
    }

    @Test
    void aResumedRunKeepsTheLaterCopyOfEachStep(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.jsonl");
        Files.writeString(file, """
                {"event":"step","step":1,"epoch":0,"loss":3.0,"grad_norm":1,"learning_rate":0.1}
                {"event":"step","step":2,"epoch":0,"loss":2.0,"grad_norm":1,"learning_rate":0.1}
                {"event":"step","step":2,"epoch":0,"loss":2.5,"grad_norm":null,"learning_rate":0.1}
                {"event":"something_new","x":1}
                {"event":"step","step":3,"epoch":0,"loss":1.0,"grad_norm":1,"learning_rate":0.1}
                """);
        RunLog log = RunLog.read(file);
        assertEquals(List.of(1L, 2L, 3L), log.steps().stream().map(RunLog.Step::step).toList());
        assertEquals(2.5, log.steps().get(1).loss());
        assertTrue(Double.isNaN(log.steps().get(1).gradientNorm()), "null is NaN");
        assertEquals(1, log.views().size(), "an unknown line is kept for the views, not an error");
    }

    @Test
    void aBrokenLineIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.jsonl");
        Files.writeString(file, "{\"event\":\"step\",\"step\":1,\"epoch\":0,\"loss\":3.0,\"grad_norm\":1,\"learning_rate\":0.1}\n{\"event\":\"step\"\n");
        DataFileException e = assertThrows(DataFileException.class, () -> RunLog.read(file));
        assertTrue(e.getMessage().startsWith(file + ": line 2: not a JSON object"), e.getMessage());
        Files.writeString(file, "{\"event\":\"step\",\"step\":1}\n");
        e = assertThrows(DataFileException.class, () -> RunLog.read(file));
        assertEquals(file + ": line 1: a step line with a missing or mistyped field", e.getMessage());
    }
}
