package dev.rnn4j.train;

import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The moving average of the parameters: its formula, what the trainer validates and keeps, and an exact resume. */
class WeightAverageTest {
    @TempDir
    Path dir;

    /** First update copies; then a = d a + (1 - d) θ with d = min(decay, t / (t + 9)); swapping in and out is exact. */
    @Test
    void averagesByTheFormulaAndSwapsExactly() {
        Parameter p = new Parameter("w", 3);
        WeightAverage average = new WeightAverage(List.of(new NamedParameter("w", p)), 0.5);
        float[][] thetas = {{1, -2, 3}, {2, 0, -1}, {-4, 1, 0.5f}};
        double[] expected = new double[3];
        for (int t = 1; t <= 3; t++) {
            p.set(thetas[t - 1]);
            average.update();
            double d = t == 1 ? 0 : Math.min(0.5, t / (t + 9.0));
            for (int j = 0; j < 3; j++) expected[j] = d * expected[j] + (1 - d) * thetas[t - 1][j];
        }
        for (int j = 0; j < 3; j++) assertEquals(expected[j], average.values()[0][j], 1e-6, "value " + j);
        average.swapIn();
        for (int j = 0; j < 3; j++) assertEquals(average.values()[0][j], p.value()[j]);
        assertThrows(IllegalStateException.class, average::update, "no update while the averages are in the model");
        average.swapOut();
        assertArrayEquals(thetas[2], p.value());
    }

    /** Without early stopping the trained model holds the averages of the values after each step, not the last values. */
    @Test
    void theTrainedModelHoldsTheAverages() {
        SequenceModel model = ResumeScenario.epochModel();
        TrainConfig config = ResumeScenario.epochConfig(null, 0).toBuilder().earlyStopping(null).plateau(null).averageWeights(0.9).build();
        List<float[]> afterEachStep = new ArrayList<>();
        Trainer trainer = new Trainer(model, config).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                afterEachStep.add(model.parameters().getFirst().value().clone());
            }
        });
        trainer.fit(ResumeScenario.epochData(), List.of());
        float[] expected = afterEachStep.getFirst().clone();
        for (int t = 2; t <= afterEachStep.size(); t++) {
            float d = (float) Math.min(0.9, t / (t + 9.0)), e = 1 - d;
            float[] theta = afterEachStep.get(t - 1);
            for (int j = 0; j < expected.length; j++) expected[j] = d * expected[j] + e * theta[j];
        }
        assertArrayEquals(expected, model.parameters().getFirst().value());
        assertFalse(java.util.Arrays.equals(afterEachStep.getLast(), expected), "the last step's values are not the average");
    }

    /** A run with averages resumed from a mid-run checkpoint ends bitwise equal to the run that was not stopped. */
    @Test
    void resumedRunEndsBitwiseEqual() {
        SequenceModel uninterrupted = ResumeScenario.epochModel();
        TrainResult expected = new Trainer(uninterrupted, withAverages(dir.resolve("u")))
                .fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        Path checkpoints = dir.resolve("a");
        Trainer crashing = new Trainer(ResumeScenario.epochModel(), withAverages(checkpoints)).addListener(new TrainingListener() {
            @Override
            public void onCheckpoint(Path file, long step) {
                if (step == 14) throw new IllegalStateException("crash");
            }
        });
        assertThrows(IllegalStateException.class, () -> crashing.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation()));
        SequenceModel resumedModel = ResumeScenario.epochModel();
        Trainer resumed = new Trainer(resumedModel, withAverages(checkpoints));
        resumed.restore(checkpoints.resolve(TrainingCheckpoint.FILE_NAME));
        assertEquals(expected, resumed.fit(ResumeScenario.epochData(), ResumeScenario.epochValidation()));
        assertSameParameters(uninterrupted, resumedModel);

        SequenceModel plain = ResumeScenario.epochModel();
        new Trainer(plain, ResumeScenario.epochConfig(dir.resolve("p"), 7)).fit(ResumeScenario.epochData(), ResumeScenario.epochValidation());
        assertNotEquals(plain.parameters().getFirst().value()[0], uninterrupted.parameters().getFirst().value()[0], "averaging changes the result");
    }

    private static TrainConfig withAverages(Path checkpoints) {
        return ResumeScenario.epochConfig(checkpoints, 7).toBuilder().averageWeights(0.8).build();
    }
}
