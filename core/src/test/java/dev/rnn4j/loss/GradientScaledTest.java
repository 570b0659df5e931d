package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GradientScaledTest {

    @Test
    void scalesTheGradientButReportsTheLossItself() {
        Random rnd = new Random(5);
        int n = 7, k = 37; // k not a multiple of the vector length: the tail is scaled too
        float[] x = LossTest.random(rnd, n * k, 2.0);
        int[] y = new int[n];
        for (int r = 0; r < n; r++) y[r] = rnd.nextInt(k);
        float[] plain = new float[n * k], scaled = new float[n * k];
        double lossPlain = new SoftmaxCrossEntropy().lossAndGradient(Matrix.of(x, n, k), Targets.classes(y), Matrix.of(plain, n, k));
        double lossScaled = new GradientScaled(new SoftmaxCrossEntropy(), 20).lossAndGradient(Matrix.of(x, n, k), Targets.classes(y),
                Matrix.of(scaled, n, k));
        assertEquals(lossPlain, lossScaled, 0);
        for (int i = 0; i < plain.length; i++) assertEquals(20f * plain[i], scaled[i], 0, "element " + i);
        assertThrows(IllegalArgumentException.class, () -> new GradientScaled(new SoftmaxCrossEntropy(), 0));
    }
}
