package dev.rnn4j.data.synthetic;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainingListener;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory-task workflow's contract: the metrics' fields, determinism, and stopping from outside. */
class MemoryTaskRunTest {

    private static MemoryTaskSettings tinyAdding() {
        return MemoryTaskSettings.defaults(MemoryTask.ADDING).withCell(CellType.GRU).withLength(6).withSteps(30).withSeed(3)
                .withHiddenSize(8).withBatch(8).withThreads(1);
    }

    /** The test set scored in uneven chunks gives the loss and the per-step gradient norms of scoring it at once. */
    @Test
    void addingTestScoresInChunksAsInOnePass() {
        SequenceModel model = SequenceModel.builder().features(AddingProblem.FEATURES).cell(CellType.GRU).hiddenSize(6)
                .head(Head.LAST_STEP).outputs(1).seed(3).build();
        AddingProblem.Batch test = new AddingProblem(15, 11).batch(23);
        Map<String, Object> whole = new HashMap<>(), chunked = new HashMap<>();
        MemoryTaskRun.scoreAdding(model, new MeanSquaredError(), test, 23, whole);
        MemoryTaskRun.scoreAdding(model, new MeanSquaredError(), test, 5, chunked);
        assertEquals((double) whole.get("test_mse"), (double) chunked.get("test_mse"), 1e-6 * (double) whole.get("test_mse"));
        @SuppressWarnings("unchecked") List<Double> a = (List<Double>) whole.get("grad_norm_by_step");
        @SuppressWarnings("unchecked") List<Double> b = (List<Double>) chunked.get("grad_norm_by_step");
        assertEquals(15, a.size());
        for (int t = 0; t < 15; t++) {
            assertTrue(a.get(t) > 0, "step " + t + " has a gradient");
            assertEquals(a.get(t), b.get(t), 1e-5 * a.get(t), "||dL/dh_t|| at t = " + t);
        }
    }

    @Test
    void addingReportsTheContractFields() {
        MemoryTaskResult r = MemoryTaskRun.train(tinyAdding(), List.of());
        Map<String, Object> m = r.metrics();
        assertEquals(List.of("task", "cell", "length", "hidden_size", "batch", "learning_rate", "init", "seed", "threads", "steps", "seconds",
                "solved_at_step", "test_mse", "baseline_mse", "grad_norm_by_step", "history"), List.copyOf(m.keySet()));
        assertEquals("default", m.get("init"));
        assertEquals(null, m.get("solved_at_step"), "30 steps never reach a validation");
        assertEquals("adding", m.get("task"));
        assertEquals("gru", m.get("cell"));
        assertEquals(30L, m.get("steps"));
        assertEquals(1.0 / 6.0, r.baseline(), 1e-12);
        assertTrue(r.testScore() > 0 && r.testScore() < 1, "test_mse " + r.testScore());
        assertTrue(r.seconds() > 0);
        List<?> norms = (List<?>) m.get("grad_norm_by_step");
        assertEquals(6, norms.size(), "one norm per step t = 1..T");
        for (Object norm : norms) assertTrue(((Number) norm).doubleValue() > 0, "norm " + norm);
        assertFalse(r.train().interrupted());
        assertEquals(30, r.train().steps());
    }

    @Test
    void copyReportsRecallAccuracy() {
        MemoryTaskSettings s = MemoryTaskSettings.defaults(MemoryTask.COPY).withLength(4).withSymbols(3).withAlphabet(4).withSteps(20)
                .withHiddenSize(8).withBatch(4).withThreads(1);
        MemoryTaskRun run = MemoryTaskRun.prepare(s);
        assertEquals(10, run.sequenceLength(), "delay + 2 x symbols");
        MemoryTaskResult r = run.train();
        assertEquals(3 * Math.log(4) / (4 + 2 * 3), r.baseline(), 1e-12);
        assertTrue(r.testScore() > 0);
        double accuracy = (Double) r.metrics().get("test_recall_accuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        assertEquals(10, ((List<?>) r.metrics().get("grad_norm_by_step")).size());
    }

    @Test
    void historyHasOneEntryPerValidation() {
        MemoryTaskResult r = MemoryTaskRun.train(tinyAdding().withSteps(2 * MemoryTaskRun.VALIDATE_EVERY).withHiddenSize(4), List.of());
        List<?> history = (List<?>) r.metrics().get("history");
        assertEquals(2, history.size());
        Map<?, ?> first = (Map<?, ?>) history.get(0);
        assertEquals(250L, ((Number) first.get("step")).longValue());
        assertTrue(first.containsKey("validation_mse") && first.containsKey("train_grad_norm_first_step"), first.toString());
    }

    @Test
    void sameSeedSameResult() {
        MemoryTaskSettings s = tinyAdding().withCell(CellType.LSTM).withLength(5).withSteps(15).withSeed(9);
        assertEquals(MemoryTaskRun.train(s, List.of()).testScore(), MemoryTaskRun.train(s, List.of()).testScore());
    }

    @Test
    void stopEndsTheRunAfterTheStepInProgressAndStillScores() {
        MemoryTaskRun run = MemoryTaskRun.prepare(tinyAdding().withSteps(1000));
        run.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                if (m.step() == 3) run.stop(); // as a signal handler on another thread would, between steps
            }
        });
        MemoryTaskResult r = run.train();
        assertTrue(r.train().interrupted());
        assertEquals(3, r.train().steps());
        assertEquals(3L, r.metrics().get("steps"));
        assertTrue(Double.isFinite(r.testScore()));
    }

    @Test
    void settingsAreChecked() {
        MemoryTaskSettings adding = MemoryTaskSettings.defaults(MemoryTask.ADDING);
        assertEquals(64, adding.hiddenSize());
        assertEquals(128, MemoryTaskSettings.defaults(MemoryTask.COPY).hiddenSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adding.withLength(1));
        assertEquals("length must be in 2..100000, got 1", e.getMessage());
        assertEquals(1, MemoryTaskSettings.defaults(MemoryTask.COPY).withLength(1).length(), "the copy task takes a delay of 1");
        assertThrows(IllegalArgumentException.class, () -> adding.withLearningRate(0));
    }

    @Test
    void chronoInitialisationIsRecordedAndRefusedForTheSimpleRnn() {
        MemoryTaskResult r = MemoryTaskRun.train(tinyAdding().withChrono(6), List.of());
        assertEquals("chrono(6)", r.metrics().get("init"));
        assertEquals(0.0, (Double) r.metrics().get("test_mse"), 0.5, "trains as usual");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> tinyAdding().withCell(CellType.RNN).withChrono(6));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("needs gates"), e.getMessage());
    }
}
