package dev.rnn4j.optim;

/**
 * Adam, exactly as {@code torch.optim.Adam} (PyTorch 1.13), weight decay included as an L2 term added to the
 * gradient (for decoupled weight decay use {@link AdamW}). Per element, at step {@code t} (1-based):
 * <pre>
 * g = g + weightDecay * p                                           (if weightDecay != 0)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vMax = max(vMax, v); v = vMax                                     (if amsgrad)
 * p = p - (learningRate / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * </pre>
 * State: {@code "<name>/exp_avg"}, {@code "<name>/exp_avg_sq"} and, with amsgrad, {@code "<name>/max_exp_avg_sq"}.
 * The bias corrections use {@link #stepCount()}.
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder().learningRate(1e-3).build();
 * }</pre>
 */
public final class Adam extends AdamCore {

    private Adam(Builder b) {
        super(WeightDecay.L2, b);
    }

    /** A builder with PyTorch's defaults: learning rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, weight decay 0 (none), no amsgrad. */
    public static Builder builder() {
        return new Builder();
    }

    /** Hyperparameters of {@link Adam}; defaults are PyTorch's. */
    public static final class Builder extends Settings<Builder> {
        private Builder() {
            super(0);
        }

        /** L2 penalty added to the gradient: {@code g + weightDecay * p}; default 0. */
        @Override
        public Builder weightDecay(double weightDecay) {
            return super.weightDecay(weightDecay);
        }

        /**
         * Builds the optimizer.
         *
         * @throws IllegalArgumentException for values PyTorch refuses
         */
        public Adam build() {
            return new Adam(this);
        }
    }
}
