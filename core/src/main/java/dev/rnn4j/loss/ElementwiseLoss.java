package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;

import java.util.Arrays;

/**
 * A loss that is the mean over the counted rows' {@code K} elements of {@code f(prediction, target)}, with the
 * gradient {@code f'(prediction, target) / (M * K)}: the shared loop of the value-target losses. Each loss supplies
 * one row of it ({@link #rowLossAndGradient}): the mean squared error in vector lanes, the others element by element
 * ({@link ScalarElementwiseLoss}).
 */
abstract sealed class ElementwiseLoss implements Loss permits MeanSquaredError, ScalarElementwiseLoss {

    /**
     * Σ f(p[pOff + c], t[tOff + c]) over c &lt; k, in double; when g is not null, also writes
     * g[gOff + c] = (float) (f'(p, t) * scale).
     */
    abstract double rowLossAndGradient(float[] p, int pOff, float[] t, int tOff, float[] g, int gOff, int k, double scale);

    @Override
    public final double lossAndGradient(Matrix prediction, Targets targets, Matrix gradient) {
        int n = prediction.rows();
        int k = prediction.cols();
        Rows.checkShapes(this, prediction, targets, gradient);
        if (targets.values() == null) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + " needs target values (Targets.values), got class ids");
        }
        if ((long) targets.values().length != (long) n * k) {
            throw new IllegalArgumentException("Targets.values has " + targets.values().length + " entries; the prediction is "
                    + n + " x " + k + " and needs " + (long) n * k);
        }
        float[] mask = targets.rowMask();
        float[] target = targets.values();
        int counted = 0;
        for (int r = 0; r < n; r++) {
            if (mask == null || mask[r] != 0f) counted++;
        }
        if (counted == 0 || k == 0) {
            Rows.fillZero(gradient);
            return 0.0;
        }
        double scale = 1.0 / ((double) counted * k);
        double sum = 0.0;
        float[] p = prediction.data();
        for (int r = 0; r < n; r++) {
            int pBase = prediction.offset() + r * prediction.stride();
            if (mask != null && mask[r] == 0f) {
                if (gradient != null) {
                    int gBase = gradient.offset() + r * gradient.stride();
                    Arrays.fill(gradient.data(), gBase, gBase + k, 0f);
                }
                continue;
            }
            float[] g = gradient != null ? gradient.data() : null;
            int gBase = gradient != null ? gradient.offset() + r * gradient.stride() : 0;
            sum += rowLossAndGradient(p, pBase, target, r * k, g, gBase, k, scale);
        }
        return sum * scale;
    }
}
