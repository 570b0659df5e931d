package dev.rnn4j.data.synthetic;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTasksTest {

    @Test
    void addingProblemMarksOneStepInEachHalfAndSumsThem() {
        int t = 9, b = 50;
        AddingProblem.Batch batch = new AddingProblem(t, 1).batch(b);
        for (int row = 0; row < b; row++) {
            int marks = 0, firstHalf = 0;
            double sum = 0;
            for (int step = 0; step < t; step++) {
                float value = batch.inputs()[(step * b + row) * 2];
                float marker = batch.inputs()[(step * b + row) * 2 + 1];
                assertTrue(value >= 0 && value < 1, "value " + value);
                if (marker == 1f) {
                    marks++;
                    sum += value;
                    if (step < t / 2) firstHalf++;
                }
            }
            assertEquals(2, marks, "markers in sequence " + row);
            assertEquals(1, firstHalf, "markers in the first half of sequence " + row);
            assertEquals(sum, batch.targets()[row], 1e-6);
        }
    }

    @Test
    void predictingTheMeanScoresTheBaseline() {
        AddingProblem.Batch batch = new AddingProblem(50, 2).batch(100_000);
        double squared = 0;
        for (float target : batch.targets()) squared += (target - 1) * (target - 1);
        assertEquals(AddingProblem.BASELINE_MSE, squared / batch.batch(), 0.003);
    }

    @Test
    void sameSeedSameBatches() {
        assertArrayEquals(new AddingProblem(20, 7).batch(4).inputs(), new AddingProblem(20, 7).batch(4).inputs());
        assertNotEquals(new AddingProblem(20, 7).batch(4).targets()[0], new AddingProblem(20, 8).batch(4).targets()[0]);
        assertArrayEquals(new CopyTask(5, 3, 4, 7).batch(2).targets(), new CopyTask(5, 3, 4, 7).batch(2).targets());
    }

    @Test
    void copyTaskAsksForTheFirstSymbolsAfterTheDelimiter() {
        int delay = 6, symbols = 3, alphabet = 4, b = 5;
        CopyTask task = new CopyTask(delay, symbols, alphabet, 3);
        CopyTask.Batch batch = task.batch(b);
        int steps = task.length(), width = task.classes();
        assertEquals(delay + 2 * symbols, steps);
        for (int row = 0; row < b; row++) {
            for (int step = 0; step < steps; step++) {
                int hot = -1, ones = 0;
                for (int c = 0; c < width; c++) {
                    if (batch.inputs()[(step * b + row) * width + c] == 1f) {
                        hot = c;
                        ones++;
                    }
                }
                assertEquals(1, ones, "one-hot at step " + step);
                int target = batch.targets()[step * b + row];
                if (step < symbols) {
                    assertTrue(hot >= 1 && hot <= alphabet, "a letter at step " + step);
                    assertEquals(hot, batch.targets()[(step + symbols + delay) * b + row], "recall of step " + step);
                } else {
                    assertEquals(step == symbols + delay - 1 ? task.delimiter() : CopyTask.BLANK, hot, "input at step " + step);
                }
                if (step < symbols + delay) assertEquals(CopyTask.BLANK, target, "target at step " + step);
            }
        }
        assertEquals(symbols * Math.log(alphabet) / steps, task.baselineCrossEntropy(), 1e-12);
    }
}
