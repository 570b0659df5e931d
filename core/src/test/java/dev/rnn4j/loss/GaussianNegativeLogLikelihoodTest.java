package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianNegativeLogLikelihoodTest {
    private static final int N = 4;
    private static final int K = 3; // means per row; the prediction has 2K columns
    private final Loss loss = new GaussianNegativeLogLikelihood();

    @Test
    void knownValue() {
        // one row, one mean: mu = 1, raw scale chosen so that sigma = 2, y = 4: 0.5 log(2 pi) + log 2 + 9 / 8
        double raw = Math.log(Math.expm1(2 - GaussianNegativeLogLikelihood.MIN_SIGMA));
        float[] x = {1f, (float) raw};
        double expected = 0.5 * Math.log(2 * Math.PI) + Math.log(GaussianNegativeLogLikelihood.sigma((float) raw))
                + 9.0 / (2 * Math.pow(GaussianNegativeLogLikelihood.sigma((float) raw), 2));
        assertEquals(expected, loss.loss(Matrix.of(x, 1, 2), Targets.values(new float[] {4f})), 1e-12);
        assertEquals(0.5 * Math.log(2 * Math.PI) + Math.log(2) + 9.0 / 8, expected, 1e-6);
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        Random rnd = new Random(5);
        float[] y = new float[N * K];
        for (int i = 0; i < y.length; i++) y[i] = (float) rnd.nextGaussian();
        for (float[] mask : new float[][] {null, {1, 0, 1, 1}}) {
            Targets targets = mask == null ? Targets.values(y) : Targets.values(y).withMask(mask);
            float[] x = new float[N * 2 * K];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * 1.2);
            float[] g = new float[x.length];
            loss.lossAndGradient(Matrix.of(x, N, 2 * K), targets, Matrix.of(g, N, 2 * K));
            for (int i = 0; i < x.length; i++) {
                float saved = x[i];
                float up = saved + 1e-3f, down = saved - 1e-3f;
                x[i] = up;
                double lossUp = loss.loss(Matrix.of(x, N, 2 * K), targets);
                x[i] = down;
                double lossDown = loss.loss(Matrix.of(x, N, 2 * K), targets);
                x[i] = saved;
                double numeric = (lossUp - lossDown) / ((double) up - down);
                assertEquals(numeric, g[i], 2e-5 * Math.max(1, Math.abs(numeric)), "element " + i + (mask == null ? "" : " masked"));
                if (mask != null && mask[i / (2 * K)] == 0f) assertEquals(0f, g[i]);
            }
        }
    }

    @Test
    void aWiderScaleCostsLessWhenTheMeanIsWrong() {
        float[] y = {3f};
        double narrow = loss.loss(Matrix.of(new float[] {0f, -2f}, 1, 2), Targets.values(y));
        double wide = loss.loss(Matrix.of(new float[] {0f, 2f}, 1, 2), Targets.values(y));
        assertTrue(wide < narrow, wide + " vs " + narrow);
        assertTrue(Double.isFinite(loss.loss(Matrix.of(new float[] {0f, -80f}, 1, 2), Targets.values(new float[] {0f}))));
    }

    @Test
    void rejectsAnOddWidthAndClassTargets() {
        LossTest.assertMessage(IllegalArgumentException.class, "needs 2K",
                () -> loss.loss(Matrix.of(new float[3], 1, 3), Targets.values(new float[] {1f})));
        LossTest.assertMessage(IllegalArgumentException.class, "needs target values",
                () -> loss.loss(Matrix.of(new float[2], 1, 2), Targets.classes(new int[] {0})));
        assertThrows(IllegalArgumentException.class, () -> loss.loss(Matrix.of(new float[4], 1, 4), Targets.values(new float[] {1f})));
    }
}
