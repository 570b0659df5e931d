package dev.rnn4j.loss;

/**
 * {@code mean(|prediction - target|)} over the counted rows' elements, as {@code torch.nn.L1Loss()}; gradient
 * {@code sign(prediction - target) / (M * K)}, which is 0 where the prediction equals the target (as PyTorch).
 */
public final class MeanAbsoluteError extends ScalarElementwiseLoss {

    public MeanAbsoluteError() {}

    @Override
    double elementLoss(double prediction, double target) {
        return Math.abs(prediction - target);
    }

    @Override
    double elementDerivative(double prediction, double target) {
        return Math.signum(prediction - target);
    }

    @Override
    public String toString() {
        return "MeanAbsoluteError";
    }
}
