package dev.rnn4j.loss;

/**
 * The Huber loss, as {@code torch.nn.HuberLoss(delta=delta)}: with {@code d = prediction - target},
 * {@code d^2 / 2} where {@code |d| < delta} and {@code delta (|d| - delta / 2)} elsewhere, averaged over the counted
 * rows' elements. Quadratic near the target and linear far from it, so outliers pull with at most {@code delta};
 * the gradient is {@code clamp(d, -delta, delta) / (M * K)}.
 */
public final class Huber extends ScalarElementwiseLoss {
    private final double delta;

    /**
     * @param delta where the loss turns from quadratic to linear; PyTorch's default is 1
     * @throws IllegalArgumentException unless {@code delta} is positive and finite
     */
    public Huber(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber delta is " + delta + "; expected a positive finite number");
        }
        this.delta = delta;
    }

    /** With PyTorch's default {@code delta = 1}. */
    public Huber() {
        this(1.0);
    }

    public double delta() {
        return delta;
    }

    @Override
    double elementLoss(double prediction, double target) {
        double d = prediction - target;
        double a = Math.abs(d);
        return a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
    }

    @Override
    double elementDerivative(double prediction, double target) {
        double d = prediction - target;
        return d <= -delta ? -delta : d >= delta ? delta : d;
    }

    @Override
    public String toString() {
        return "Huber(delta=" + delta + ")";
    }
}
