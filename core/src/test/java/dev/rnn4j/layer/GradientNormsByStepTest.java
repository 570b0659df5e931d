package dev.rnn4j.layer;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientNormsByStepTest {

    private static float[] random(long seed, int n, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble(-scale, scale);
        return v;
    }

    /** At the last step nothing else flows in: ||dL/dh_T|| is the norm of what the loss put there. */
    @Test
    void lastStepHoldsTheLossGradient() {
        int t = 5, b = 3, in = 2, h = 4;
        Recurrent net = Lstm.builder().inputSize(in).hiddenSize(h).seed(1).build();
        net.forward(SequenceBatch.of(random(2, t * b * in, 1), t, b));
        float[] dHn = random(3, b * h, 1);
        net.backward(null, dHn, null);
        double expected = 0;
        for (float v : dHn) expected += v * v;
        double[] norms = net.gradientNormsByStep();
        assertEquals(t, norms.length);
        assertEquals(Math.sqrt(expected), norms[t - 1], 1e-6);
        for (int step = 0; step < t - 1; step++) assertTrue(norms[step] > 0, "gradient reaches step " + step);
    }

    /** A contracting tanh RNN forgets: the gradient from the last step shrinks geometrically going back. */
    @Test
    void simpleRnnGradientVanishesGoingBack() {
        int t = 40, b = 4, in = 2, h = 8;
        Recurrent net = SimpleRnn.builder().inputSize(in).hiddenSize(h).seed(4).build();
        float[] w = net.parameter("weight_hh_l0").value();
        for (int i = 0; i < w.length; i++) w[i] *= 0.5f; // spectral radius well below 1
        net.forward(SequenceBatch.of(random(5, t * b * in, 1), t, b));
        net.backward(null, random(6, b * h, 1), null);
        double[] norms = net.gradientNormsByStep();
        assertTrue(norms[0] < 1e-6 * norms[t - 1], "||dL/dh_1|| = " + norms[0] + " vs ||dL/dh_T|| = " + norms[t - 1]);
        for (int step = 1; step < t; step++) assertTrue(norms[step - 1] < norms[step], "decays going back at step " + step);
    }
}
