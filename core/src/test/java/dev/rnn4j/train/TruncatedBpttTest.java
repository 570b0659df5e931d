package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.layer.RecurrentOutput;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.loss.Targets;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.ModelInput;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.Sgd;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.rnn4j.train.TrainTestSupport.assertBitwise;
import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TruncatedBpttTest {
    private static final int T = 10, B = 3;

    private static SequenceModel featureModel() {
        return SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(5).layers(2).head(Head.EVERY_STEP).outputs(2).seed(11).build();
    }

    private static SequenceModel tokenModel() {
        return SequenceModel.builder().vocabulary(6).embeddingSize(4).cell(CellType.GRU).hiddenSize(5).head(Head.EVERY_STEP).outputs(6)
                .seed(12).build();
    }

    /** One stream [T, B]: features (or tokens) with an initial state, per-step classes with a mask hole. */
    private static Batch stream(SequenceModel model) {
        SplittableRandom random = new SplittableRandom(5);
        int k = model.spec().outputs();
        int[] classes = new int[T * B];
        for (int i = 0; i < classes.length; i++) classes[i] = random.nextInt(k);
        float[] mask = new float[T * B];
        Arrays.fill(mask, 1f);
        mask[4] = 0f; // one masked row
        ModelInput input;
        if (model.spec().tokenInput()) {
            int[] tokens = new int[T * B];
            for (int i = 0; i < tokens.length; i++) tokens[i] = random.nextInt(model.spec().vocabulary());
            input = ModelInput.tokens(tokens, T, B);
        } else {
            float[] x = new float[T * B * 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-1, 1);
            input = ModelInput.features(x, T, B);
        }
        var c = model.spec().recurrent();
        int state = c.layers() * c.directions() * B * c.hiddenSize();
        float[] h0 = new float[state], c0 = c.cellType().hasCellState() ? new float[state] : null;
        for (int i = 0; i < state; i++) {
            h0[i] = (float) random.nextDouble(-0.5, 0.5);
            if (c0 != null) c0[i] = (float) random.nextDouble(-0.5, 0.5);
        }
        return new Batch(input.withInitialState(h0, c0), Targets.classes(classes).withMask(mask));
    }

    private static TrainConfig config(int k, double lr, long steps) {
        return TrainConfig.builder().optimizer(OptimizerSpec.sgd(lr)).loss(new SoftmaxCrossEntropy()).maxSteps(steps).truncatedBptt(k)
                .threads(1).build();
    }

    private static List<StepMetrics> fit(SequenceModel model, TrainConfig config, Batch batch) {
        List<StepMetrics> steps = new ArrayList<>();
        new Trainer(model, config).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                steps.add(m);
            }
        }).fit(BatchSource.named("one stream", i -> batch), null);
        return steps;
    }

    @Test
    void withKAtLeastTOneChunkIsExactlyFullBptt() {
        for (int k : new int[] {T, T + 5}) {
            SequenceModel tbptt = featureModel(), manual = featureModel(), plain = featureModel();
            Batch batch = stream(tbptt);
            List<StepMetrics> steps = fit(tbptt, config(k, 0.5, 1), batch);
            fit(plain, config(0, 0.5, 1), batch);

            // one full BPTT pass by hand, then the same SGD step
            manual.zeroGrad();
            Matrix predictions = manual.forward(batch.input());
            Matrix d = Matrix.of(new float[predictions.rows() * predictions.cols()], predictions.rows(), predictions.cols());
            double loss = new SoftmaxCrossEntropy().lossAndGradient(predictions, batch.targets(), d);
            manual.backward(d);
            List<float[]> grads = manual.parameters().stream().map(p -> p.grad().clone()).toList();
            Sgd.builder(0.5).build().step(manual.parameters());

            assertEquals(1, steps.size());
            assertEquals(Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(steps.get(0).loss()), "k=" + k + ": loss");
            for (int i = 0; i < grads.size(); i++) {
                assertBitwise("k=" + k + ": gradient of " + tbptt.namedParameters().get(i).name(), grads.get(i),
                        tbptt.parameters().get(i).grad());
            }
            assertSameParameters(manual, tbptt);
            assertSameParameters(plain, tbptt);
        }
    }

    @Test
    void chunksCarryTheStateExactlyAndCutTheGradientAtTheBoundary() {
        for (SequenceModel tbptt : List.of(featureModel(), tokenModel())) {
            SequenceModel full = tbptt.spec().tokenInput() ? tokenModel() : featureModel();
            SequenceModel manual = tbptt.spec().tokenInput() ? tokenModel() : featureModel();
            String what = tbptt.spec().recurrent().cellType().toString();
            Batch batch = stream(tbptt);
            // learning rate 0: the weights stay put, so the chunks' forward passes must compose to the full one
            List<StepMetrics> steps = fit(tbptt, config(3, 0, 4), batch);
            assertEquals(4, steps.size(), what + ": chunks of 3, 3, 3 and 1 steps");

            full.forward(batch.input());
            RecurrentOutput whole = full.lastRecurrentOutput();
            RecurrentOutput last = tbptt.lastRecurrentOutput();
            assertEquals(1, last.steps(), what + ": the last chunk has one step");
            assertBitwise(what + ": h_n after all chunks", whole.hN(), last.hN());
            if (whole.cN() != null) assertBitwise(what + ": c_n after all chunks", whole.cN(), last.cN());

            // the last chunk's gradient: forward over steps 9..9 from the carried state, backward ignoring dL/dh0
            manual.forward(slice(batch.input(), 0, 9, batch.input().h0(), batch.input().c0()));
            RecurrentOutput carried = manual.lastRecurrentOutput();
            float[] h = carried.hN().clone(), c = carried.cN() == null ? null : carried.cN().clone();
            manual.zeroGrad();
            Matrix predictions = manual.forward(slice(batch.input(), 9, 10, h, c));
            Targets t = batch.targets();
            Targets chunkTargets = new Targets(null, Arrays.copyOfRange(t.classes(), 9 * B, 10 * B), Arrays.copyOfRange(t.rowMask(), 9 * B, 10 * B));
            Matrix d = Matrix.of(new float[predictions.rows() * predictions.cols()], predictions.rows(), predictions.cols());
            double loss = new SoftmaxCrossEntropy().lossAndGradient(predictions, chunkTargets, d);
            manual.backward(d);
            assertEquals(loss, steps.get(3).loss(), what + ": last chunk's loss");
            for (int i = 0; i < manual.parameters().size(); i++) {
                Parameter p = manual.parameters().get(i);
                assertBitwise(what + ": last chunk's gradient of " + manual.namedParameters().get(i).name(), p.grad(),
                        tbptt.parameters().get(i).grad());
            }
            // the cut matters: the full pass's gradient differs
            full.zeroGrad();
            Matrix fp = full.forward(batch.input());
            Matrix fd = Matrix.of(new float[fp.rows() * fp.cols()], fp.rows(), fp.cols());
            new SoftmaxCrossEntropy().lossAndGradient(fp, batch.targets(), fd);
            full.backward(fd);
            assertFalse(Arrays.equals(full.parameters().get(1).grad(), tbptt.parameters().get(1).grad()), what);
        }
    }

    private static ModelInput slice(ModelInput in, int from, int to, float[] h0, float[] c0) {
        if (in.tokens() != null) {
            return new ModelInput(null, Arrays.copyOfRange(in.tokens(), from * B, to * B), to - from, B, null, h0, c0);
        }
        return new ModelInput(Arrays.copyOfRange(in.features(), from * B * 3, to * B * 3), null, to - from, B, null, h0, c0);
    }

    @Test
    void validationCarriesTheStateAcrossChunks() {
        SequenceModel model = featureModel();
        Batch batch = stream(model);
        double chunked = new Trainer(model, config(3, 0.1, 1)).evaluate(List.of(batch));
        double whole = new Trainer(model, config(0, 0.1, 1)).evaluate(List.of(batch));
        // the mean over chunks weighted by counted rows is the mean over the stream, up to rounding in the sums
        assertEquals(whole, chunked, 1e-6 * Math.abs(whole));
        // without the carried state the chunks would start from zero and see other losses
        Batch zeroStart = new Batch(batch.input().withInitialState(null, null), batch.targets());
        assertTrue(Math.abs(new Trainer(model, config(0, 0.1, 1)).evaluate(List.of(zeroStart)) - whole) > 1e-4);
    }

    @Test
    void refusesModelsAndBatchesItCannotTruncate() {
        TrainConfig config = config(3, 0.1, 1);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainTestSupport.lstm(Head.LAST_STEP, 2, 1), config)).getMessage().contains("EVERY_STEP"));
        SequenceModel bidirectional = SequenceModel.builder().features(3).cell(CellType.GRU).hiddenSize(4).bidirectional(true)
                .head(Head.EVERY_STEP).outputs(2).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(bidirectional, config)).getMessage().contains("unidirectional"));
        SequenceModel model = featureModel();
        Batch batch = stream(model);
        int[] lengths = new int[B];
        Arrays.fill(lengths, T);
        lengths[1] = 5;
        Batch ragged = new Batch(batch.input().withLengths(lengths), batch.targets());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Trainer(model, config).fit(BatchSource.named("r", i -> ragged), null))
                .getMessage().contains("lengths"));
    }
}
