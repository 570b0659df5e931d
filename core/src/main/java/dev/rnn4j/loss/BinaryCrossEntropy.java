package dev.rnn4j.loss;

/**
 * Binary cross-entropy on logits, as {@code torch.nn.BCEWithLogitsLoss()}: for a logit {@code x} and a target
 * probability {@code t} in [0, 1], {@code -(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))}, averaged over the
 * counted rows' elements. Each of the {@code K} columns is an independent yes/no (multi-label) output.
 *
 * <p>Computed in the stable form {@code max(x, 0) - x t + log(1 + exp(-|x|))}, finite for any finite logit (a
 * logit of 100 with target 0 costs 100, not infinity); the gradient is {@code (sigmoid(x) - t) / (M * K)}.
 */
public final class BinaryCrossEntropy extends ScalarElementwiseLoss {

    public BinaryCrossEntropy() {}

    @Override
    double elementLoss(double logit, double target) {
        return Math.max(logit, 0.0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
    }

    @Override
    double elementDerivative(double logit, double target) {
        return sigmoid(logit) - target;
    }

    static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    public String toString() {
        return "BinaryCrossEntropy(with logits)";
    }
}
