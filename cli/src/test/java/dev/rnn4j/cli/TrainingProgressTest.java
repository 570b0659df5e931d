package dev.rnn4j.cli;

import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.TrainingStart;
import dev.rnn4j.train.ValidationMetrics;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The progress text, fed synthetic events in the non-terminal (LINES) mode. */
class TrainingProgressTest {
    private final StringWriter text = new StringWriter();

    private TrainingProgress progress(TrainingProgress.Display display) {
        return new TrainingProgress(display, new PrintWriter(text, true));
    }

    /** A step of 50 examples taking 0.1 s, with loss 0.5; the run started at step {@code from}. */
    private static StepMetrics step(long step, int epoch, long from) {
        return new StepMetrics(step, epoch, 0.5, 1.0, 1e-3, 0.1, (step - from) * 0.1, 50);
    }

    private static ValidationMetrics validation(long step, int epoch, double loss) {
        return new ValidationMetrics(step, epoch, loss, loss, step, true, 0, 1e-3);
    }

    private static TrainResult end(long steps) {
        return new TrainResult(steps, 3, 0.5, 0.125, steps, false, false, false, 0, null);
    }

    private List<String> lines() {
        return text.toString().lines().toList();
    }

    @Test
    void oneLinePerEpochOfADatasetWithTheLastValidation() {
        TrainingProgress p = progress(TrainingProgress.Display.LINES);
        p.onStart(new TrainingStart(0, 0, 4, 3, 0, 0)); // 4 batches per epoch, 3 epochs: 12 steps
        for (int s = 1; s <= 4; s++) p.onStep(step(s, 0, 0));
        p.onValidation(validation(4, 0, 0.25));
        for (int s = 5; s <= 8; s++) p.onStep(step(s, 1, 0)); // an epoch without validation
        for (int s = 9; s <= 12; s++) p.onStep(step(s, 2, 0));
        p.onValidation(validation(12, 2, 0.125));
        p.onEnd(end(12));
        assertEquals(List.of(
                "epoch 1/3  step 4/12  loss 0.50000  validation 0.25000  500 examples/s  ETA 1s",
                "epoch 2/3  step 8/12  loss 0.50000  validation 0.25000  500 examples/s  ETA 0s",
                "epoch 3/3  step 12/12  loss 0.50000  validation 0.12500  500 examples/s  ETA 0s"), lines());
    }

    @Test
    void anEndlessSourceGetsALinePerValidationAndTheLastPartialEpochAtTheEnd() {
        TrainingProgress p = progress(TrainingProgress.Display.LINES);
        p.onStart(new TrainingStart(0, 0, -1, 0, 600, 250)); // adding/copy: validation every 250 of 600 steps
        for (int s = 1; s <= 250; s++) p.onStep(step(s, 0, 0));
        p.onValidation(validation(250, 0, 0.1));
        for (int s = 251; s <= 300; s++) p.onStep(step(s, 1, 0));
        p.onEnd(end(300)); // interrupted at step 300
        assertEquals(List.of(
                "epoch 1/3  step 250/600  loss 0.50000  validation 0.10000  500 examples/s  ETA 35s",
                "epoch 2/3  step 300/600  loss 0.50000  validation 0.10000  500 examples/s  ETA 30s"), lines());
    }

    @Test
    void aResumedRunTimesOnlyItsOwnStepsAndUnknownTotalsAreLeftOut() {
        TrainingProgress p = progress(TrainingProgress.Display.LINES);
        p.onStart(new TrainingStart(1000, 10, 100, 20, 0, 0));
        p.onStep(step(1001, 10, 1000));
        p.onValidation(validation(1001, 10, 0.5));
        assertEquals(List.of("epoch 11/20  step 1001/2000  loss 0.50000  validation 0.50000  500 examples/s  ETA 1m40s"), lines());

        text.getBuffer().setLength(0);
        TrainingProgress open = progress(TrainingProgress.Display.LINES);
        open.onStart(new TrainingStart(0, 0, -1, 0, 0, 0)); // no limit known
        open.onStep(step(1, 0, 0));
        open.onEnd(end(1));
        assertEquals(List.of("epoch 1  step 1  loss 0.50000  500 examples/s"), lines());
    }

    @Test
    void quietPrintsNothing() {
        TrainingProgress p = progress(TrainingProgress.Display.OFF);
        p.onStart(new TrainingStart(0, 0, 2, 1, 0, 0));
        p.onStep(step(1, 0, 0));
        p.onValidation(validation(1, 0, 0.3));
        p.onEnd(end(1));
        assertEquals("", text.toString());
    }

    @Test
    void theBarsMessageLeavesStepsAndEtaToTheBar() {
        ProgressState state = new ProgressState();
        state.start(new TrainingStart(0, 0, 4, 3, 0, 0));
        state.step(step(1, 0, 0));
        assertEquals("epoch 1/3  loss 0.50000  500 examples/s", state.barMessage());
        assertFalse(state.barMessage().contains("ETA"));
    }

    @Test
    void durations() {
        assertEquals("0s", ProgressState.duration(0.4));
        assertEquals("45s", ProgressState.duration(45));
        assertEquals("1m05s", ProgressState.duration(65));
        assertEquals("2h03m", ProgressState.duration(7380));
    }
}
