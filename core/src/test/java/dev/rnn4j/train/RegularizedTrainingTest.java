package dev.rnn4j.train;

import dev.rnn4j.io.TrainingCheckpoint;
import dev.rnn4j.layer.Regularization;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dropout and zoneout masks come from (seed, step): runs repeat bit for bit and resume exactly. */
class RegularizedTrainingTest {
    @TempDir
    Path dir;

    private static final Regularization DROPOUT = Regularization.builder().inputDropout(0.2).layerDropout(0.3).recurrentDropout(0.25)
            .zoneoutHidden(0.1).zoneoutCell(0.15).build();

    private static SequenceModel model(Regularization regularization) {
        SequenceModel model = ResumeScenario.streamModel(); // 2-layer LSTM, EVERY_STEP
        model.recurrent().setRegularization(regularization);
        return model;
    }

    private static TrainConfig config(long seed, Path checkpoints) {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.01)).loss(new SoftmaxCrossEntropy()).maxSteps(12).stepsPerEpoch(4)
                .truncatedBptt(6).checkpoints(checkpoints, 5).seed(seed).threads(1).build();
    }

    private TrainResult fit(SequenceModel model, Trainer trainer) {
        return trainer.fit(ResumeScenario.streamData(), ResumeScenario.streamValidation());
    }

    @Test
    void masksFollowTheSeedAndRunsRepeatBitwise() {
        SequenceModel a = model(DROPOUT), b = model(DROPOUT), otherSeed = model(DROPOUT), plain = model(Regularization.NONE);
        TrainResult ra = fit(a, new Trainer(a, config(1, dir.resolve("a"))));
        TrainResult rb = fit(b, new Trainer(b, config(1, dir.resolve("b"))));
        assertSameParameters(a, b);
        assertEquals(ra, rb);
        // the data is the same whatever the seed (an endless source): only the masks differ
        fit(otherSeed, new Trainer(otherSeed, config(2, dir.resolve("c"))));
        assertFalse(TrainTestSupport.sameParameters(a, otherSeed), "the masks must depend on the seed");
        fit(plain, new Trainer(plain, config(1, dir.resolve("d"))));
        assertFalse(TrainTestSupport.sameParameters(a, plain), "dropout must act in training");
        assertFalse(a.recurrent().isTraining(), "fit leaves the network in inference mode");
    }

    @Test
    void validationRunsInInferenceMode() {
        SequenceModel model = model(DROPOUT);
        Trainer trainer = new Trainer(model, config(1, dir.resolve("v")));
        List<Batch> valid = ResumeScenario.streamValidation();
        double first = trainer.evaluate(valid);
        assertEquals(first, trainer.evaluate(valid), "no masks at inference: the same loss every time");
        model.recurrent().setTraining(false);
        // by hand, chunk by chunk as the trainer does, would be longer; one chunk-free config gives the plain mean
        Trainer whole = new Trainer(model, config(1, dir.resolve("w")).toBuilder().truncatedBptt(0).build());
        double sum = 0, rows = 0;
        for (Batch b : valid) {
            Matrix p = model.forward(b.input());
            sum += new SoftmaxCrossEntropy().loss(p, b.targets()) * p.rows();
            rows += p.rows();
        }
        assertEquals(sum / rows, whole.evaluate(valid), 1e-12);
        model.recurrent().setTraining(true);
        assertEquals(sum / rows, whole.evaluate(valid), 1e-12, "evaluate switches training mode off itself");
    }

    @Test
    void resumeWithDropoutIsBitwiseExact() {
        SequenceModel uninterrupted = model(DROPOUT);
        TrainResult expected = fit(uninterrupted, new Trainer(uninterrupted, config(3, dir.resolve("u"))));

        Path checkpoints = dir.resolve("r");
        SequenceModel crashed = model(DROPOUT);
        Trainer crashing = new Trainer(crashed, config(3, checkpoints)).addListener(new TrainingListener() {
            @Override
            public void onCheckpoint(Path file, long step) {
                if (step == 5) throw new IllegalStateException("crash");
            }
        });
        assertThrows(IllegalStateException.class, () -> fit(crashed, crashing));

        SequenceModel resumedModel = model(DROPOUT);
        Trainer resumed = new Trainer(resumedModel, config(3, checkpoints));
        resumed.restore(checkpoints.resolve(TrainingCheckpoint.FILE_NAME));
        assertEquals(5, resumed.step());
        assertEquals(expected, fit(resumedModel, resumed));
        assertSameParameters(uninterrupted, resumedModel);
        assertTrue(expected.steps() == 12);
    }
}
