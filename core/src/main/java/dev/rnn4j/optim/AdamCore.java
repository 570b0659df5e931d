package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.List;

import static dev.rnn4j.optim.Lanes.SPECIES;

/**
 * {@link Adam} and {@link AdamW}, which differ only in how weight decay enters the update ({@link WeightDecay}):
 * their hyperparameters, builder, state and update, in the order of {@code torch.optim}'s single-tensor
 * implementations (PyTorch 1.13).
 *
 * <p>PyTorch's CPU kernels fuse {@code add(other, alpha)} into {@code fma(other, alpha, self)} and
 * {@code addcmul(t1, t2, value)} into {@code fma(value * t1, t2, self)}; the same fmas here make the results
 * agree with PyTorch's float32 bit for bit in most elements.
 */
abstract class AdamCore extends SlotOptimizer {

    /** How weight decay enters the update. */
    enum WeightDecay {
        /** {@link Adam}: an L2 term added to the gradient, {@code g + weightDecay * p}. */
        L2("Adam"),
        /** {@link AdamW}: decoupled, the parameter shrinks by {@code 1 - learningRate * weightDecay} first. */
        DECOUPLED("AdamW");

        /** The optimizer's name, for {@code toString} and messages. */
        final String optimizer;

        WeightDecay(String optimizer) {
            this.optimizer = optimizer;
        }
    }

    private final WeightDecay mode;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final boolean amsgrad;

    AdamCore(WeightDecay mode, Settings<?> s) {
        super(s.learningRate, mode.optimizer + "(amsgrad=" + s.amsgrad + ")",
                s.amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq"));
        this.mode = mode;
        this.beta1 = Checks.beta("beta1", s.beta1);
        this.beta2 = Checks.beta("beta2", s.beta2);
        this.epsilon = Checks.nonNegative("epsilon", s.epsilon);
        this.weightDecay = Checks.nonNegative("weight decay", s.weightDecay);
        this.amsgrad = s.amsgrad;
    }

    /**
     * The hyperparameters of {@link Adam} and {@link AdamW} (their builders), with PyTorch's defaults: learning
     * rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, no amsgrad; the weight decay's default is the optimizer's.
     *
     * @param <B> the optimizer's builder
     */
    abstract static class Settings<B extends Settings<B>> {
        private double learningRate = 1e-3;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay;
        private boolean amsgrad;

        Settings(double weightDecay) {
            this.weightDecay = weightDecay;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Default 1e-3. */
        public B learningRate(double learningRate) {
            this.learningRate = learningRate;
            return self();
        }

        /** Decay rates of the gradient's running mean and of its square's, each in [0, 1); default (0.9, 0.999). */
        public B betas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return self();
        }

        /** Added to the denominator for numerical stability; default 1e-8. */
        public B epsilon(double epsilon) {
            this.epsilon = epsilon;
            return self();
        }

        /** The weight decay, applied as the optimizer's {@link WeightDecay} says. */
        public B weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /** Normalise by the running maximum of the second moment (AMSGrad); default false. */
        public B amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return self();
        }
    }

    @Override
    final void update(List<Parameter> parameters) {
        // scalars as PyTorch computes them: in double (Python floats), rounded to float where they meet a tensor
        double learningRate = learningRate();
        double t = stepCount() + 1;
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        float negStepSize = (float) -(learningRate / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float b1 = (float) beta1;
        FloatVector oneMinusB1 = FloatVector.broadcast(SPECIES, (float) (1 - beta1));
        float b2 = (float) beta2;
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        boolean decoupled = mode == WeightDecay.DECOUPLED;
        boolean l2 = mode == WeightDecay.L2 && weightDecay != 0;
        FloatVector decay = FloatVector.broadcast(SPECIES, (float) weightDecay);
        float shrink = (float) (1 - learningRate * weightDecay);
        for (Parameter p : parameters) {
            float[][] buffers = slots.getOrCreate(p);
            float[] w = p.value();
            float[] g = p.grad();
            float[] expAvg = buffers[0];
            float[] expAvgSq = buffers[1];
            float[] maxExpAvgSq = amsgrad ? buffers[2] : null;
            int n = w.length;
            for (int i = 0; i < n; i += Lanes.LENGTH) {
                VectorMask<Float> m = SPECIES.indexInRange(i, n);
                FloatVector x = FloatVector.fromArray(SPECIES, w, i, m);
                if (decoupled) x = x.mul(shrink);                // param.mul_(1 - lr * weight_decay)
                FloatVector d = FloatVector.fromArray(SPECIES, g, i, m);
                if (l2) d = x.fma(decay, d);                       // grad.add(param, alpha=weight_decay)
                FloatVector avg = d.fma(oneMinusB1, FloatVector.fromArray(SPECIES, expAvg, i, m).mul(b1));        // mul_(b1).add_(g, alpha=1-b1)
                FloatVector avgSq = d.mul(oneMinusB2).fma(d, FloatVector.fromArray(SPECIES, expAvgSq, i, m).mul(b2)); // mul_(b2).addcmul_(g, g, 1-b2)
                avg.intoArray(expAvg, i, m);
                avgSq.intoArray(expAvgSq, i, m);
                if (maxExpAvgSq != null) {
                    avgSq = FloatVector.fromArray(SPECIES, maxExpAvgSq, i, m).max(avgSq);
                    avgSq.intoArray(maxExpAvgSq, i, m);
                }
                FloatVector denom = avgSq.sqrt().div(bc2Sqrt).add(eps);
                x.add(avg.mul(negStepSize).div(denom)).intoArray(w, i, m); // param.addcdiv_(exp_avg, denom, -step_size)
            }
        }
    }

    @Override
    public String toString() {
        return mode.optimizer + "(learningRate=" + learningRate() + ", betas=(" + beta1 + ", " + beta2 + "), epsilon=" + epsilon
                + ", weightDecay=" + weightDecay + ", amsgrad=" + amsgrad + ")";
    }
}
