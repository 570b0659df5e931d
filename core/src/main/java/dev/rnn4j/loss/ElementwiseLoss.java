package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;

import java.util.Arrays;

/**
 * A loss that is the mean over the counted rows' {@code K} elements of {@code f(prediction, target)}, with the
 * gradient {@code f'(prediction, target) / (M * K)}: the shared loop of the value-target losses.
 */
abstract sealed class ElementwiseLoss implements Loss
        permits MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossEntropy {

    /** The loss of one element, in double. */
    abstract double elementLoss(double prediction, double target);

    /** d elementLoss / d prediction. */
    abstract double elementDerivative(double prediction, double target);

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
            int tBase = r * k;
            double rowSum = 0.0;
            for (int c = 0; c < k; c++) {
                rowSum += elementLoss(p[pBase + c], target[tBase + c]);
            }
            sum += rowSum;
            if (gradient != null) {
                float[] g = gradient.data();
                int gBase = gradient.offset() + r * gradient.stride();
                for (int c = 0; c < k; c++) {
                    g[gBase + c] = (float) (elementDerivative(p[pBase + c], target[tBase + c]) * scale);
                }
            }
        }
        return sum * scale;
    }
}
