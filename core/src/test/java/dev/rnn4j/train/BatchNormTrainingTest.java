package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.NamedBuffer;
import dev.rnn4j.model.SequenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training a batch-normalised model: the population statistics are part of the run's state, so checkpoints, resuming,
 * the best model of early stopping and saved files carry them; validation reads them; a distributed run is refused.
 */
class BatchNormTrainingTest {
    @TempDir
    Path dir;

    /** Stateful truncated BPTT (chunks of 5 of 12 steps, T_max = 5) with a validation every 4 steps and early stopping's restore. */
    private static SequenceModel model() {
        return SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(6).layers(2)
                .regularization(Regularization.builder().batchNorm(5).build()).head(Head.EVERY_STEP).outputs(2).seed(4).build();
    }

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.02)).loss(new SoftmaxCrossEntropy()).clipNorm(2.0).maxSteps(24)
                .stepsPerEpoch(4).truncatedBptt(5).seed(17).threads(1);
    }

    private static TrainConfig config(Path checkpoints) {
        return config().earlyStopping(new EarlyStopping(10, 0, true)).checkpoints(checkpoints, 7).build();
    }

    private static float[][] buffers(SequenceModel m) {
        return m.namedBuffers().stream().map(b -> b.buffer().value().clone()).toArray(float[][]::new);
    }

    @Test
    void aResumedRunEndsBitwiseEqualStatisticsIncluded() {
        SequenceModel uninterrupted = model();
        float[][] initial = buffers(uninterrupted);
        List<float[][]> atBest = new ArrayList<>();
        Trainer trainer = new Trainer(uninterrupted, config(dir.resolve("u"))).addListener(new TrainingListener() {
            @Override
            public void onValidation(ValidationMetrics m) {
                if (m.improved()) {
                    atBest.clear();
                    atBest.add(buffers(uninterrupted));
                }
            }
        });
        TrainResult expected = trainer.fit(TrainTestSupport.delayedSign(21, 12, 4), TrainTestSupport.delayedSign(99, 12, 4).take(2));
        assertTrue(expected.restoredBest() && expected.bestStep() < expected.steps(), "the best model is not the last: " + expected);
        // training moved the statistics, and the best model came back with the statistics of its moment
        assertFalse(java.util.Arrays.equals(initial[0], buffers(uninterrupted)[0]), "training moves the population statistics");
        float[][] restored = buffers(uninterrupted);
        for (int i = 0; i < restored.length; i++) TrainTestSupport.assertBitwise("restored " + i, atBest.getFirst()[i], restored[i]);

        Path checkpoints = dir.resolve("c");
        Trainer crashing = new Trainer(model(), config(checkpoints)).addListener(new TrainingListener() {
            @Override
            public void onCheckpoint(Path file, long step) {
                if (step == 7) throw new CheckpointResumeTest.Crash();
            }
        });
        assertThrows(CheckpointResumeTest.Crash.class,
                () -> crashing.fit(TrainTestSupport.delayedSign(21, 12, 4), TrainTestSupport.delayedSign(99, 12, 4).take(2)));
        Trainer resumed = Trainer.resume(checkpoints.resolve(TrainingCheckpoint.FILE_NAME));
        TrainResult actual = resumed.fit(TrainTestSupport.delayedSign(21, 12, 4), TrainTestSupport.delayedSign(99, 12, 4).take(2));
        assertEquals(expected, actual);
        TrainTestSupport.assertSameParameters(uninterrupted, resumed.model());
    }

    @Test
    void validationReadsThePopulationStatisticsThatASavedModelKeeps() {
        SequenceModel m = model();
        Trainer trainer = new Trainer(m, config().maxSteps(8).build());
        trainer.fit(TrainTestSupport.delayedSign(21, 12, 4), null);
        List<Batch> validation = TrainTestSupport.delayedSign(99, 12, 4).take(2);
        double loss = trainer.evaluate(validation);

        Path file = dir.resolve("bn.rnn4j");
        trainer.saveModel(file, false);
        SequenceModel loaded = SequenceModelFile.load(file);
        TrainTestSupport.assertSameParameters(m, loaded);
        assertEquals(loss, new Trainer(loaded, trainer.config()).evaluate(validation), 0.0, "the same loss after a round trip");

        for (NamedBuffer b : loaded.namedBuffers()) java.util.Arrays.fill(b.buffer().value(), b.name().contains("_var") ? 1f : 0f);
        assertTrue(Math.abs(loss - new Trainer(loaded, trainer.config()).evaluate(validation)) > 1e-4, "validation reads the statistics");
    }

    @Test
    void aDistributedRunIsRefused() {
        SequenceModel m = model();
        TrainConfig config = TrainConfig.builder().optimizer(OptimizerSpec.adam(0.01)).loss(new SoftmaxCrossEntropy()).epochs(1).build();
        BatchPlan plan = new BatchPlan(new int[] {3, 3, 3, 3}, 2, false, 0, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(m, config).fit(plan, (ids, step, parameters) -> 0.0, null));
        assertEquals("a batch-normalised model cannot be trained distributed: its population statistics are updated by the training "
                + "forward passes, which would run on the workers", e.getMessage());
    }
}
