package dev.rnn4j.train;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.loss.SoftmaxCrossEntropy;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parallel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.rnn4j.train.TrainTestSupport.assertSameParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The same seed and thread count give bitwise the same training run. */
class DeterminismTest {

    /** A 2-layer LSTM big enough for the kernels to split work across threads (hidden 48, batches of 16). */
    private static SequenceModel model() {
        return SequenceModel.builder().features(TrainTestSupport.FEATURES).cell(CellType.LSTM).hiddenSize(48).layers(2)
                .head(Head.LAST_STEP).outputs(2).seed(8).build();
    }

    private static List<Double> run(SequenceModel model, long seed, int threads) {
        TrainConfig config = TrainConfig.builder().optimizer(OptimizerSpec.adamW(0.01)).loss(new SoftmaxCrossEntropy()).clipNorm(1)
                .maxSteps(6).seed(seed).threads(threads).build();
        List<Double> losses = new ArrayList<>();
        new Trainer(model, config).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                losses.add(m.loss());
                losses.add(m.gradientNorm());
            }
        }).fit(Batcher.of(TrainTestSupport.signOfSum(96, 6), 16).bucketed(2), null);
        return losses;
    }

    @Test
    void sameSeedSameThreadsGiveBitwiseEqualRuns() {
        int before = Parallel.threads();
        for (int threads : new int[] {1, 2}) {
            SequenceModel a = model(), b = model();
            List<Double> first = run(a, 5, threads), second = run(b, 5, threads);
            assertSameParameters(a, b);
            assertEquals(first, second, threads + " threads: losses and gradient norms");
            assertEquals(before, Parallel.threads(), "fit puts the thread count back");
        }
        // and the seed matters: another shuffle, other weights
        SequenceModel c = model(), d = model();
        run(c, 5, 1);
        run(d, 6, 1);
        assertFalse(TrainTestSupport.sameParameters(c, d));
    }
}
