package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;

import java.util.List;
import java.util.Map;

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
public final class AdamW implements Optimizer {
    private final AdamCore core;

    private AdamW(Builder b) {
        this.core = new AdamCore("AdamW", b.learningRate, b.beta1, b.beta2, b.epsilon, b.weightDecay, b.amsgrad, true);
    }

    /** A builder with PyTorch's defaults: learning rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, weight decay 0.01, no amsgrad. */
    public static Builder builder() {
        return new Builder();
    }

    /** Hyperparameters of {@link AdamW}; defaults are PyTorch's. */
    public static final class Builder {
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay = 0.01;
        private boolean amsgrad;

        private Builder() {}

        /** Default 1e-3. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Decay rates of the gradient's running mean and of its square's, each in [0, 1); default (0.9, 0.999). */
        public Builder betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** Added to the denominator for numerical stability; default 1e-8. */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Decoupled decay: each step multiplies the parameter by {@code 1 - learningRate * weightDecay}; default 0.01. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Normalise by the running maximum of the second moment (AMSGrad); default false. */
        public Builder amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return this;
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

    @Override
    public void step(List<Parameter> parameters) {
        core.step(parameters);
    }

    @Override
    public double learningRate() {
        return core.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        core.setLearningRate(learningRate);
    }

    @Override
    public long stepCount() {
        return core.stepCount();
    }

    @Override
    public Map<String, float[]> state() {
        return core.state();
    }

    @Override
    public void loadState(Map<String, float[]> state, long stepCount) {
        core.loadState(state, stepCount);
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
