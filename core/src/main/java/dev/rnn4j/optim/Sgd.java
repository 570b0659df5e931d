package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.List;

import static dev.rnn4j.optim.Lanes.SPECIES;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, exactly as
 * {@code torch.optim.SGD}. Per element, with gradient {@code g} and parameter {@code p}:
 * <pre>
 * g = g + weightDecay * p                                  (if weightDecay != 0)
 * b = g on the first step, else momentum * b + (1 - dampening) * g   (if momentum != 0)
 * g = nesterov ? g + momentum * b : b                      (if momentum != 0)
 * p = p - learningRate * g
 * </pre>
 * State: {@code "<name>/momentum_buffer"} when momentum is not 0 (none otherwise).
 *
 * <pre>{@code
 * Optimizer sgd = Sgd.builder(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build();
 * }</pre>
 */
public final class Sgd extends SlotOptimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    private Sgd(Builder b) {
        super(b.learningRate, "Sgd", b.momentum != 0 ? List.of("momentum_buffer") : List.of());
        this.momentum = Checks.nonNegative("momentum", b.momentum);
        this.dampening = Checks.finite("dampening", b.dampening);
        this.weightDecay = Checks.nonNegative("weight decay", b.weightDecay);
        this.nesterov = b.nesterov;
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening 0; got momentum "
                    + momentum + ", dampening " + dampening);
        }
    }

    /**
     * A builder with PyTorch's defaults: no momentum, no dampening, no Nesterov, no weight decay.
     *
     * @param learningRate required, as in PyTorch
     */
    public static Builder builder(double learningRate) {
        return new Builder(learningRate);
    }

    /** Hyperparameters of {@link Sgd}; defaults are PyTorch's. */
    public static final class Builder {
        private final double learningRate;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder(double learningRate) {
            this.learningRate = learningRate;
        }

        /** Momentum factor, default 0 (none). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Dampening of the momentum's gradient term: the buffer adds {@code (1 - dampening) * g}. Default 0. */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** Nesterov momentum (requires momentum > 0 and dampening 0). Default false. */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** L2 penalty added to the gradient: {@code g + weightDecay * p}. Default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @throws IllegalArgumentException for values PyTorch refuses
         */
        public Sgd build() {
            return new Sgd(this);
        }
    }

    @Override
    void update(List<Parameter> parameters) {
        FloatVector negLr = FloatVector.broadcast(SPECIES, (float) -learningRate());
        FloatVector decay = FloatVector.broadcast(SPECIES, (float) weightDecay);
        FloatVector mom = FloatVector.broadcast(SPECIES, (float) momentum);
        FloatVector keep = FloatVector.broadcast(SPECIES, (float) (1 - dampening));
        for (Parameter p : parameters) {
            float[] w = p.value();
            float[] g = p.grad();
            float[] buf = null;
            boolean first = false;
            if (momentum != 0) {
                float[][] buffers = slots.get(p);
                first = buffers == null;
                buf = (first ? slots.create(p) : buffers)[0];
            }
            float[] momentumBuffer = buf;
            boolean firstStep = first;
            // elementwise: splitting the elements over the threads changes no bit
            Lanes.forChunks(w.length, (from, to) -> {
                for (int i = from; i < to; i += Lanes.LENGTH) {
                    VectorMask<Float> m = SPECIES.indexInRange(i, to);
                    FloatVector x = FloatVector.fromArray(SPECIES, w, i, m);
                    FloatVector d = FloatVector.fromArray(SPECIES, g, i, m);
                    if (weightDecay != 0) d = x.fma(decay, d);                  // d_p.add(param, alpha=weight_decay)
                    if (momentumBuffer != null) {
                        FloatVector b = firstStep ? d : d.fma(keep, FloatVector.fromArray(SPECIES, momentumBuffer, i, m).mul(mom)); // buf.mul_(m).add_(d_p, alpha=1-dampening)
                        b.intoArray(momentumBuffer, i, m);
                        d = nesterov ? b.fma(mom, d) : b;                       // d_p.add(buf, alpha=momentum)
                    }
                    d.fma(negLr, x).intoArray(w, i, m);                      // param.add_(d_p, alpha=-lr)
                }
            });
        }
    }

    @Override
    public String toString() {
        return "Sgd(learningRate=" + learningRate() + ", momentum=" + momentum + ", dampening=" + dampening
                + ", nesterov=" + nesterov + ", weightDecay=" + weightDecay + ")";
    }
}
