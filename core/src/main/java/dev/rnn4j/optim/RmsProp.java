package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.ArrayList;
import java.util.List;

import static dev.rnn4j.optim.Lanes.SPECIES;

/**
 * RMSprop, exactly as {@code torch.optim.RMSprop}: the gradient divided by the root of a running average of its
 * square. Per element:
 * <pre>
 * g = g + weightDecay * p                              (if weightDecay != 0)
 * s = alpha * s + (1 - alpha) * g * g
 * a = alpha * a + (1 - alpha) * g;  r = sqrt(s - a * a) + epsilon    (if centered)
 * r = sqrt(s) + epsilon                                 (otherwise)
 * b = momentum * b + g / r;  p = p - learningRate * b   (if momentum > 0)
 * p = p - learningRate * g / r                          (otherwise)
 * </pre>
 * State: {@code "<name>/square_avg"}, with momentum {@code "<name>/momentum_buffer"}, centered
 * {@code "<name>/grad_avg"}, all starting at zero. Centered, {@code s - a * a} is a variance computed in float: for
 * a gradient element that stays constant over thousands of steps it can round below zero and give NaN, as it does in
 * PyTorch.
 *
 * <pre>{@code
 * Optimizer opt = RmsProp.builder().learningRate(1e-3).momentum(0.9).centered(true).build();
 * }</pre>
 */
public final class RmsProp extends SlotOptimizer {
    private final double alpha;
    private final double epsilon;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;
    private final int momentumSlot;  // -1 if none
    private final int gradAvgSlot;   // -1 if none

    private RmsProp(Builder b) {
        super(b.learningRate, "RmsProp(momentum=" + b.momentum + ", centered=" + b.centered + ")",
                slotNames(b.momentum, b.centered));
        this.alpha = Checks.nonNegative("alpha", b.alpha);
        this.epsilon = Checks.nonNegative("epsilon", b.epsilon);
        this.weightDecay = Checks.nonNegative("weight decay", b.weightDecay);
        this.momentum = Checks.nonNegative("momentum", b.momentum);
        this.centered = b.centered;
        this.momentumSlot = slots.index("momentum_buffer");
        this.gradAvgSlot = slots.index("grad_avg");
    }

    private static List<String> slotNames(double momentum, boolean centered) {
        List<String> slots = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) slots.add("momentum_buffer");
        if (centered) slots.add("grad_avg");
        return slots;
    }

    /**
     * A builder with PyTorch's defaults: learning rate 1e-2, alpha 0.99, epsilon 1e-8, no weight decay, no momentum,
     * not centered.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Hyperparameters of {@link RmsProp}; defaults are PyTorch's. */
    public static final class Builder {
        private double learningRate = 1e-2;
        private double alpha = 0.99;
        private double epsilon = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;

        private Builder() {}

        /** Default 1e-2. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Smoothing constant: the decay rate of the running average of the squared gradient; default 0.99. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Added to the denominator for numerical stability; default 1e-8. */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** L2 penalty added to the gradient: {@code g + weightDecay * p}; default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Momentum factor applied to the normalised gradient; default 0 (none). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Normalise by an estimate of the gradient's variance (the running mean square minus the squared running
         * mean) instead of its raw second moment; default false.
         */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @throws IllegalArgumentException for values PyTorch refuses
         */
        public RmsProp build() {
            return new RmsProp(this);
        }
    }

    @Override
    void update(List<Parameter> parameters) {
        FloatVector negLr = FloatVector.broadcast(SPECIES, (float) -learningRate());
        FloatVector decay = FloatVector.broadcast(SPECIES, (float) weightDecay);
        float a = (float) alpha;
        FloatVector oneMinusA = FloatVector.broadcast(SPECIES, (float) (1 - alpha));
        float eps = (float) epsilon;
        float mom = (float) momentum;
        for (Parameter p : parameters) {
            float[][] buffers = slots.getOrCreate(p);
            float[] w = p.value();
            float[] g = p.grad();
            float[] squareAvg = buffers[0];
            float[] buf = momentumSlot < 0 ? null : buffers[momentumSlot];
            float[] gradAvg = gradAvgSlot < 0 ? null : buffers[gradAvgSlot];
            int n = w.length;
            for (int i = 0; i < n; i += Lanes.LENGTH) {
                VectorMask<Float> m = SPECIES.indexInRange(i, n);
                FloatVector x = FloatVector.fromArray(SPECIES, w, i, m);
                FloatVector d = FloatVector.fromArray(SPECIES, g, i, m);
                if (weightDecay != 0) d = x.fma(decay, d);                        // grad.add(param, alpha=wd)
                FloatVector sq = d.mul(oneMinusA).fma(d, FloatVector.fromArray(SPECIES, squareAvg, i, m).mul(a)); // addcmul_(g, g, 1-alpha)
                sq.intoArray(squareAvg, i, m);
                FloatVector root;
                if (gradAvg != null) {
                    FloatVector ga = d.fma(oneMinusA, FloatVector.fromArray(SPECIES, gradAvg, i, m).mul(a));    // add_(g, alpha=1-alpha)
                    ga.intoArray(gradAvg, i, m);
                    root = ga.neg().fma(ga, sq).sqrt();  // square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
                } else {
                    root = sq.sqrt();
                }
                root = root.add(eps);
                if (buf != null) {
                    FloatVector b = FloatVector.fromArray(SPECIES, buf, i, m).mul(mom).add(d.div(root)); // buf.mul_(m).addcdiv_(g, avg)
                    b.intoArray(buf, i, m);
                    x = b.fma(negLr, x);                                          // param.add_(buf, alpha=-lr)
                } else {
                    x = x.add(d.mul(negLr).div(root));                            // param.addcdiv_(g, avg, value=-lr)
                }
                x.intoArray(w, i, m);
            }
        }
    }

    @Override
    public String toString() {
        return "RmsProp(learningRate=" + learningRate() + ", alpha=" + alpha + ", epsilon=" + epsilon + ", weightDecay="
                + weightDecay + ", momentum=" + momentum + ", centered=" + centered + ")";
    }
}
