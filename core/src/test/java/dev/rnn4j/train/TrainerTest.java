package dev.rnn4j.train;

import dev.rnn4j.io.SequenceModelFile;
import dev.rnn4j.io.TrainingProvenance;
import dev.rnn4j.loss.MeanSquaredError;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.ReduceOnPlateau;
import dev.rnn4j.optim.StepDecay;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.rnn4j.train.TrainTestSupport.assertBitwise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    @TempDir
    Path dir;

    /** Records everything a trainer reports. */
    static final class Recorder implements TrainingListener {
        final List<StepMetrics> steps = new ArrayList<>();
        final List<ValidationMetrics> validations = new ArrayList<>();
        final List<float[][]> improvedParameters = new ArrayList<>();
        final SequenceModel model;
        TrainResult end;

        Recorder(SequenceModel model) {
            this.model = model;
        }

        @Override
        public void onStep(StepMetrics m) {
            steps.add(m);
        }

        @Override
        public void onValidation(ValidationMetrics m) {
            validations.add(m);
            if (m.improved()) improvedParameters.add(model.parameters().stream().map(p -> p.value().clone()).toArray(float[][]::new));
        }

        @Override
        public void onEnd(TrainResult result) {
            end = result;
        }
    }

    private static TrainConfig.Builder base() {
        return TrainConfig.builder().optimizer(OptimizerSpec.adam(0.02)).loss(new SoftmaxCrossEntropy()).seed(1).threads(1);
    }

    @Test
    void learnsAndReportsEveryStepInOrder() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 1);
        Recorder r = new Recorder(model);
        Batcher train = Batcher.of(TrainTestSupport.signOfSum(96, 1), 12).bucketed(2);
        List<Batch> valid = Batcher.of(TrainTestSupport.signOfSum(48, 2), 16).inOrder();
        Trainer trainer = new Trainer(model, base().epochs(8).build()).addListener(r);
        double before = trainer.evaluate(valid);
        TrainResult result = trainer.fit(train, valid);

        assertEquals(64, result.steps());
        assertEquals(8, result.epochs());
        assertEquals(64, r.steps.size());
        for (int i = 0; i < r.steps.size(); i++) {
            StepMetrics m = r.steps.get(i);
            assertEquals(i + 1, m.step());
            assertEquals(i / 8, m.epoch());
            assertTrue(m.gradientNorm() > 0 && m.seconds() > 0 && m.elapsedSeconds() >= m.seconds(), m.toString());
        }
        assertEquals(8, r.validations.size());
        for (int e = 0; e < 8; e++) assertEquals(8L * (e + 1), r.validations.get(e).step());
        double after = r.validations.get(7).loss();
        assertTrue(after < 0.75 * before, "validation loss " + before + " -> " + after);
        assertEquals(result, r.end);
        assertFalse(result.restoredBest());
    }

    @Test
    void scheduleSetsTheRateOfEachEpochAndClippingIsAfterTheNormIsMeasured() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 2);
        Recorder r = new Recorder(model);
        StepDecay schedule = new StepDecay(1, 0.5);
        TrainConfig config = base().optimizer(OptimizerSpec.sgd(0.1)).schedule(schedule).clipNorm(1e-3).epochs(3).build();
        new Trainer(model, config).addListener(r).fit(Batcher.of(TrainTestSupport.signOfSum(20, 3), 10), null);
        assertEquals(6, r.steps.size());
        for (StepMetrics m : r.steps) {
            assertEquals(schedule.rate(0.1, m.epoch()), m.learningRate(), "epoch " + m.epoch());
            assertTrue(m.gradientNorm() > 1e-2, "the reported norm is the one before clipping: " + m.gradientNorm());
        }
        double sum = 0;
        for (Parameter p : model.parameters()) for (float g : p.grad()) sum += (double) g * g;
        assertEquals(1e-3, Math.sqrt(sum), 1e-7, "the optimizer stepped with clipped gradients (to maxNorm / (norm + 1e-6))");
    }

    @Test
    void plateauCutsTheRateAsReduceOnPlateauWould() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 3);
        Recorder r = new Recorder(model);
        PlateauSettings settings = new PlateauSettings(0.5, 0, 0.2, ReduceOnPlateau.ThresholdMode.RELATIVE, 0, 0, 1e-8);
        new Trainer(model, base().plateau(settings).epochs(5).build()).addListener(r)
                .fit(Batcher.of(TrainTestSupport.signOfSum(30, 4), 10), Batcher.of(TrainTestSupport.signOfSum(20, 5), 10).inOrder());
        ReduceOnPlateau reference = settings.build();
        double rate = 0.02;
        for (ValidationMetrics v : r.validations) {
            rate = reference.onEpochEnd(v.loss(), rate);
            assertEquals(rate, v.learningRate());
        }
        assertTrue(rate < 0.02, "the plateau must have cut the rate at least once");
        // and the steps after a cut use the cut rate
        assertEquals(r.validations.get(3).learningRate(), r.steps.get(r.steps.size() - 1).learningRate());
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestParameters() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 4);
        Recorder r = new Recorder(model);
        // nothing after the first validation improves by 100: patience 2 stops after the third epoch
        TrainConfig config = base().earlyStopping(new EarlyStopping(2, 100, true)).epochs(10).build();
        TrainResult result = new Trainer(model, config).addListener(r)
                .fit(Batcher.of(TrainTestSupport.signOfSum(30, 4), 10), Batcher.of(TrainTestSupport.signOfSum(20, 5), 10).inOrder());
        assertTrue(result.stoppedEarly());
        assertEquals(3, result.epochs());
        assertEquals(9, result.steps());
        assertEquals(3, result.bestStep());
        assertTrue(result.restoredBest());
        assertEquals(List.of(true, false, false), r.validations.stream().map(ValidationMetrics::improved).toList());
        assertEquals(2, r.validations.get(2).validationsWithoutImprovement());
        float[][] best = r.improvedParameters.get(0);
        for (int i = 0; i < best.length; i++) assertBitwise("restored " + model.namedParameters().get(i).name(), best[i], model.parameters().get(i).value());
    }

    @Test
    void validationLossIsTheMeanOverCountedRows() {
        SequenceModel model = TrainTestSupport.lstm(Head.EVERY_STEP, 1, 5);
        Trainer trainer = new Trainer(model, base().loss(new MeanSquaredError()).maxSteps(1).build());
        // two batches: 2 of 4 rows count in the first (mask), all 6 in the second
        float[] x1 = new float[2 * 2 * 3], x2 = new float[3 * 2 * 3];
        for (int i = 0; i < x1.length; i++) x1[i] = (i % 7) / 7f;
        for (int i = 0; i < x2.length; i++) x2[i] = (i % 5) / -5f;
        Batch b1 = new Batch(ModelInput.features(x1, 2, 2), Targets.values(new float[] {1, 2, 3, 4}).withMask(new float[] {1, 0, 1, 0}));
        Batch b2 = new Batch(ModelInput.features(x2, 3, 2), Targets.values(new float[] {0, 1, 0, 1, 0, 1}));
        double l1 = new MeanSquaredError().loss(model.forward(b1.input()), b1.targets());
        double l2 = new MeanSquaredError().loss(model.forward(b2.input()), b2.targets());
        assertEquals((2 * l1 + 6 * l2) / 8, trainer.evaluate(List.of(b1, b2)), 1e-12);
    }

    @Test
    void nonFiniteLossStopsWithTheStep() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 1, 6);
        float[] x = new float[2 * 1 * 3];
        x[4] = Float.NaN;
        Batch bad = new Batch(ModelInput.features(x, 2, 1), Targets.values(new float[] {1}));
        Trainer trainer = new Trainer(model, base().loss(new MeanSquaredError()).maxSteps(3).build());
        TrainResult result = trainer.fit(BatchSource.named("nan", i -> bad), null);
        assertEquals(0, result.steps());
        assertEquals("the training loss is NaN at step 1 (epoch 0, batch 0)", result.nonFinite().message());
    }

    @Test
    void refusesSettingsThatDoNotFitTheData() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 7);
        Batcher data = Batcher.of(TrainTestSupport.signOfSum(10, 1), 5);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(model, base().epochs(1).stepsPerEpoch(3).build()).fit(data, null));
        BatchSource endless = BatchSource.named("x", i -> data.batch(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Trainer(model, base().epochs(2).build()).fit(endless, null));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, base().epochs(1).earlyStopping(EarlyStopping.of(2)).build()).fit(data, List.of()))
                .getMessage().contains("validation"));
    }

    @Test
    void savedModelCarriesTheRunsProvenance() {
        SequenceModel model = TrainTestSupport.lstm(Head.LAST_STEP, 2, 8);
        Batcher data = Batcher.of(TrainTestSupport.signOfSum(10, 1), 5);
        Trainer trainer = new Trainer(model, base().epochs(1).seed(77).build());
        trainer.fit(data, null);
        Path file = dir.resolve("m.rnn4j");
        trainer.saveModel(file, true);
        SequenceModelFile.Loaded loaded = SequenceModelFile.read(file);
        TrainingProvenance p = loaded.provenance();
        assertEquals(77L, p.seed());
        assertEquals(data.fingerprint(), p.dataFingerprint());
        assertTrue(p.hyperparameters().startsWith("{\"config_version\":1,\"optimizer\":{\"type\":\"Adam\",\"learning_rate\":0.02"),
                p.hyperparameters());
        assertTrue(p.hyperparameters().contains("\"batching\":{\"batch_size\":5,\"shuffle\":true"), p.hyperparameters());
        assertEquals(2L, loaded.optimizerStepCount());
        TrainTestSupport.assertSameParameters(model, loaded.model());
        Matrix a = model.forward(data.batch(0, 0, 0).input());
        float[] expected = java.util.Arrays.copyOf(a.data(), a.rows() * a.cols());
        Matrix b = loaded.model().forward(data.batch(0, 0, 0).input());
        assertBitwise("predictions", expected, java.util.Arrays.copyOf(b.data(), b.rows() * b.cols()));
    }
}
