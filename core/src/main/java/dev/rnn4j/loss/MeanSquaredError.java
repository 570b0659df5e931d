package dev.rnn4j.loss;

/**
 * {@code mean((prediction - target)^2)} over the counted rows' elements, as {@code torch.nn.MSELoss()}; gradient
 * {@code 2 (prediction - target) / (M * K)}.
 */
public final class MeanSquaredError extends ElementwiseLoss {

    public MeanSquaredError() {}

    @Override
    double elementLoss(double prediction, double target) {
        double d = prediction - target;
        return d * d;
    }

    @Override
    double elementDerivative(double prediction, double target) {
        return 2.0 * (prediction - target);
    }

    @Override
    public String toString() {
        return "MeanSquaredError";
    }
}
