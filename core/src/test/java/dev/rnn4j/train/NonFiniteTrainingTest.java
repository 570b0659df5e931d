package dev.rnn4j.train;

import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.loss.Loss;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.rnn4j.train.TrainTestSupport.assertBitwise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NaN and infinity in training: found in the step they appear in, then skipped or stopping the run. */
class NonFiniteTrainingTest {
    @TempDir
    Path dir;

    /** Cross-entropy whose gradient gets a NaN (the loss stays finite) in the given 1-based calls. */
    private record PoisonedGradient(Loss loss, java.util.Set<Integer> poisonedCalls, int[] calls) implements Loss {
        PoisonedGradient(int... poisoned) {
            this(new SoftmaxCrossEntropy(), java.util.Arrays.stream(poisoned).boxed().collect(java.util.stream.Collectors.toSet()), new int[1]);
        }

        @Override
        public double lossAndGradient(Matrix prediction, Targets targets, Matrix gradient) {
            double value = loss.lossAndGradient(prediction, targets, gradient);
            if (gradient != null && poisonedCalls.contains(++calls[0])) gradient.data()[0] = Float.NaN;
            return value;
        }

        @Override
        public String toString() { // the config records a custom loss by this; resuming compares it
            return "PoisonedGradient";
        }
    }

    private static TrainConfig.Builder config(Loss loss) {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.02)).loss(loss).seed(1).threads(1);
    }

    private static Batcher data() {
        return Batcher.of(TrainTestSupport.signOfSum(20, 3), 4); // 5 batches an epoch
    }

    @Test
    void stopEndsAtTheBadStepNamingTheGradientAndKeepsTheLastGoodCheckpoint() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 5);
        Path run = dir.resolve("run");
        TrainConfig stopping = config(new PoisonedGradient(8)).epochs(3).checkpoints(run, 5).build();
        Trainer trainer = new Trainer(model, stopping);
        List<float[]> afterStep7 = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                if (m.step() == 7) model.parameters().forEach(p -> afterStep7.add(p.value().clone()));
            }
        });
        TrainResult result = trainer.fit(data(), null);

        assertEquals(7, result.steps());
        NonFiniteValue bad = result.nonFinite();
        assertEquals(NonFiniteValue.Kind.GRADIENT, bad.kind());
        assertEquals(8, bad.step());
        assertEquals(1, bad.epoch());
        assertEquals(2, bad.batch());
        assertTrue(bad.message().matches("the gradient of \\S+ is NaN \\(element \\d+\\) at step 8 \\(epoch 1, batch 2\\)"), bad.message());
        // no update from the bad step: the model holds step 7's parameters
        for (int i = 0; i < afterStep7.size(); i++) assertBitwise("parameter " + i, afterStep7.get(i), model.parameters().get(i).value());
        // the checkpoint of step 5 stays: none is written after a non-finite step
        Trainer fromCheckpoint = new Trainer(TrainTestSupport.lstm(Head.LAST_STEP, 2, 5), stopping);
        fromCheckpoint.restore(run.resolve(TrainingCheckpoint.FILE_NAME));
        assertEquals(5, fromCheckpoint.step());
    }

    @Test
    void stopRestoresTheBestParametersAsAtANormalEnd() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 5);
        Trainer trainer = new Trainer(model, config(new PoisonedGradient(12)).epochs(5).earlyStopping(EarlyStopping.of(10)).build());
        TrainResult result = trainer.fit(data(), Batcher.of(TrainTestSupport.signOfSum(8, 4), 8).inOrder());
        assertEquals(11, result.steps());
        assertTrue(result.restoredBest(), "the best model of the validations before the bad step");
        assertEquals(10, result.bestStep());
        for (Parameter p : model.parameters()) {
            for (float v : p.value()) assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void skipDropsTheStepsUpdateCountsItAndGoesOn() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 5);
        Trainer trainer = new Trainer(model, config(new PoisonedGradient(3, 9)).epochs(2).onNonFinite(NonFiniteAction.SKIP).build());
        List<NonFiniteValue> skipped = new ArrayList<>();
        List<float[]> before = new ArrayList<>(), atSkip = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                if (m.step() == 2) model.parameters().forEach(p -> before.add(p.value().clone()));
            }

            @Override
            public void onSkippedStep(NonFiniteValue value) {
                skipped.add(value);
                if (value.step() == 3) model.parameters().forEach(p -> atSkip.add(p.value().clone()));
            }
        });
        TrainResult result = trainer.fit(data(), null);

        assertNull(result.nonFinite());
        assertEquals(10, result.steps(), "every batch counts as seen");
        assertEquals(2, result.skippedSteps());
        assertEquals(List.of(3L, 9L), skipped.stream().map(NonFiniteValue::step).toList());
        assertEquals(List.of(2L, 3L), skipped.stream().map(NonFiniteValue::batch).toList());
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), atSkip.get(i), "the skipped step changed parameter " + i);
        for (Parameter p : model.parameters()) {
            for (float v : p.value()) assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void skippedStepsAreCountedAcrossAResume() {
        Path run = dir.resolve("run");
        TrainConfig first = config(new PoisonedGradient(3)).epochs(1).checkpoints(run, 5).onNonFinite(NonFiniteAction.SKIP).build();
        new Trainer(TrainTestSupport.lstm(Head.LAST_STEP, 2, 5), first).fit(data(), null);
        Trainer resumed = new Trainer(TrainTestSupport.lstm(Head.LAST_STEP, 2, 5),
                config(new PoisonedGradient()).epochs(2).checkpoints(run, 5).onNonFinite(NonFiniteAction.SKIP).build());
        resumed.restore(run.resolve(TrainingCheckpoint.FILE_NAME));
        TrainResult result = resumed.fit(data(), null);
        assertEquals(10, result.steps());
        assertEquals(1, result.skippedSteps());
        assertTrue(Files.isRegularFile(run.resolve(TrainingCheckpoint.FILE_NAME)));
    }

    @Test
    void aParameterThatBecomesInfiniteStopsEvenWhenSkipping() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 5);
        // a learning rate this large sends the first update's parameters to infinity
        Trainer trainer = new Trainer(model, TrainConfig.builder().optimizer(OptimizerSpec.sgd(1e300)).loss(new SoftmaxCrossEntropy())
                .seed(1).threads(1).epochs(1).onNonFinite(NonFiniteAction.SKIP).build());
        TrainResult result = trainer.fit(data(), null);
        NonFiniteValue bad = result.nonFinite();
        assertFalse(bad == null, "an infinite parameter must end the run");
        assertEquals(NonFiniteValue.Kind.PARAMETER, bad.kind(), bad.message());
        assertTrue(bad.message().startsWith("parameter "), bad.message());
        assertEquals(0, result.steps());
    }
}
