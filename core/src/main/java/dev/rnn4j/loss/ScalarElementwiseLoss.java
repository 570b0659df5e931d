package dev.rnn4j.loss;

/** An {@link ElementwiseLoss} given by its element function and derivative, computed one element at a time in double. */
abstract sealed class ScalarElementwiseLoss extends ElementwiseLoss permits MeanAbsoluteError, Huber, BinaryCrossEntropy {

    /** The loss of one element, in double. */
    abstract double elementLoss(double prediction, double target);

    /** d elementLoss / d prediction. */
    abstract double elementDerivative(double prediction, double target);

    @Override
    final double rowLossAndGradient(float[] p, int pOff, float[] t, int tOff, float[] g, int gOff, int k, double scale) {
        double rowSum = 0.0;
        for (int c = 0; c < k; c++) rowSum += elementLoss(p[pOff + c], t[tOff + c]);
        if (g != null) {
            for (int c = 0; c < k; c++) g[gOff + c] = (float) (elementDerivative(p[pOff + c], t[tOff + c]) * scale);
        }
        return rowSum;
    }
}
