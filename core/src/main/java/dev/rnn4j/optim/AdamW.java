package dev.rnn4j.optim;

/**
 * AdamW (Adam with decoupled weight decay), exactly as {@code torch.optim.AdamW} (PyTorch 1.13): the parameter
 * shrinks by {@code 1 - learningRate * weightDecay} before the Adam update, and the moments see the raw gradient.
 * Per element, at step {@code t} (1-based):
 * <pre>
 * p = p * (1 - learningRate * weightDecay)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vMax = max(vMax, v); v = vMax                                     (if amsgrad)
 * p = p - (learningRate / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)
 * </pre>
 * State: {@code "<name>/exp_avg"}, {@code "<name>/exp_avg_sq"} and, with amsgrad, {@code "<name>/max_exp_avg_sq"}.
 * The bias corrections use {@link #stepCount()}.
 *
 * <pre>{@code
 * Optimizer opt = AdamW.builder().learningRate(1e-3).weightDecay(0.01).build();
 * }</pre>
 */
public final class AdamW extends AdamCore {

    private AdamW(Builder b) {
        super(WeightDecay.DECOUPLED, b);
    }

    /** A builder with PyTorch's defaults: learning rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, weight decay 0.01, no amsgrad. */
    public static Builder builder() {
        return new Builder();
    }

    /** Hyperparameters of {@link AdamW}; defaults are PyTorch's. */
    public static final class Builder extends Settings<Builder> {
        private Builder() {
            super(0.01);
        }

        /** Decoupled decay: each step multiplies the parameter by {@code 1 - learningRate * weightDecay}; default 0.01. */
        @Override
        public Builder weightDecay(double weightDecay) {
            return super.weightDecay(weightDecay);
        }

        /**
         * Builds the optimizer.
         *
         * @throws IllegalArgumentException for values PyTorch refuses
         */
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
