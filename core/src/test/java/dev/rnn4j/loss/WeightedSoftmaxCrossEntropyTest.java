package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.train.TrainConfig;
import dev.rnn4j.train.OptimizerSpec;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Class weights as PyTorch's CrossEntropyLoss(weight=w): rows weighted by w[y], the mean divided by the weights' sum. */
class WeightedSoftmaxCrossEntropyTest {
    @Test
    void weightedMeanMatchesTheDefinitionAndUnitWeightsChangeNothing() {
        Random rnd = new Random(3);
        float[] x = LossTest.random(rnd, 5 * 3, 1.3);
        int[] y = {2, 0, 1, 1, 2};
        float[] w = {0.5f, 2f, 1.25f};
        double expected = 0, weights = 0;
        for (int r = 0; r < 5; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < 3; c++) max = Math.max(max, x[r * 3 + c]);
            for (int c = 0; c < 3; c++) sum += Math.exp(x[r * 3 + c] - max);
            expected += w[y[r]] * (max + Math.log(sum) - x[r * 3 + y[r]]);
            weights += w[y[r]];
        }
        Loss weighted = new SoftmaxCrossEntropy(w);
        assertEquals(expected / weights, weighted.loss(Matrix.of(x, 5, 3), Targets.classes(y)), 1e-6); // exp in float lanes

        float[] g1 = new float[15], g2 = new float[15];
        new SoftmaxCrossEntropy().lossAndGradient(Matrix.of(x, 5, 3), Targets.classes(y), Matrix.of(g1, 5, 3));
        new SoftmaxCrossEntropy(new float[] {1, 1, 1}).lossAndGradient(Matrix.of(x, 5, 3), Targets.classes(y), Matrix.of(g2, 5, 3));
        assertArrayEquals(g1, g2);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random rnd = new Random(4);
        float[] x = LossTest.random(rnd, 4 * 3, 1.0);
        int[] y = {0, 2, 2, 1};
        Loss loss = new SoftmaxCrossEntropy(new float[] {3f, 0.5f, 1f});
        Targets t = Targets.classes(y).withMask(new float[] {1, 1, 0, 1});
        float[] g = new float[12];
        loss.lossAndGradient(Matrix.of(x, 4, 3), t, Matrix.of(g, 4, 3));
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = saved + 1e-3f;
            double up = loss.loss(Matrix.of(x, 4, 3), t);
            x[i] = saved - 1e-3f;
            double down = loss.loss(Matrix.of(x, 4, 3), t);
            x[i] = saved;
            assertEquals((up - down) / 2e-3, g[i], 2e-5, "element " + i);
        }
    }

    @Test
    void weightsSurviveTheConfigJson() {
        TrainConfig config = TrainConfig.builder().optimizer(OptimizerSpec.adam(1e-3)).loss(new SoftmaxCrossEntropy(new float[] {0.25f, 4f}))
                .epochs(1).build();
        TrainConfig back = TrainConfig.fromJson(config.toJson());
        assertArrayEquals(new float[] {0.25f, 4f}, ((SoftmaxCrossEntropy) back.loss()).classWeights());
        LossTest.assertMessage(IllegalArgumentException.class, "must not all be 0", () -> new SoftmaxCrossEntropy(new float[] {0, 0}));
    }
}
