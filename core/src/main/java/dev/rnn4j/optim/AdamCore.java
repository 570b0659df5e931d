package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.List;
import java.util.Map;

/**
 * The update shared by {@link Adam} (weight decay as an L2 term in the gradient) and {@link AdamW} (decoupled
 * weight decay), in the order of {@code torch.optim}'s single-tensor implementations (PyTorch 1.13).
 *
 * <p>PyTorch's CPU kernels fuse {@code add(other, alpha)} into {@code fma(other, alpha, self)} and
 * {@code addcmul(t1, t2, value)} into {@code fma(value * t1, t2, self)}; the same fmas here make the results
 * agree with PyTorch's float32 bit for bit in most elements.
 */
final class AdamCore {
    private final String name;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final boolean decoupled;
    private final boolean amsgrad;
    private final SlotState state;
    private double learningRate;
    private long stepCount;

    AdamCore(String name, double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
             boolean amsgrad, boolean decoupled) {
        this.name = name;
        this.learningRate = Checks.learningRate(learningRate);
        this.beta1 = Checks.beta("beta1", beta1);
        this.beta2 = Checks.beta("beta2", beta2);
        this.epsilon = Checks.nonNegative("epsilon", epsilon);
        this.weightDecay = Checks.nonNegative("weight decay", weightDecay);
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
        this.state = new SlotState(name + "(amsgrad=" + amsgrad + ")",
                amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq"));
    }

    void step(List<Parameter> parameters) {
        SlotState.checkUniqueNames(parameters);
        // scalars as PyTorch computes them: in double (Python floats), rounded to float where they meet a tensor
        double t = stepCount + 1;
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        float negStepSize = (float) -(learningRate / biasCorrection1);
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float b1 = (float) beta1;
        FloatVector oneMinusB1 = Lanes.broadcast((float) (1 - beta1));
        float b2 = (float) beta2;
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        boolean l2 = !decoupled && weightDecay != 0;
        FloatVector decay = Lanes.broadcast((float) weightDecay);
        float shrink = (float) (1 - learningRate * weightDecay);
        for (Parameter p : parameters) {
            float[][] slots = state.get(p);
            if (slots == null) slots = state.create(p);
            float[] w = p.value();
            float[] g = p.grad();
            float[] expAvg = slots[0];
            float[] expAvgSq = slots[1];
            float[] maxExpAvgSq = amsgrad ? slots[2] : null;
            int n = w.length;
            for (int i = 0; i < n; i += Lanes.LENGTH) {
                VectorMask<Float> m = Lanes.tail(i, n);
                FloatVector x = Lanes.load(w, i, m);
                if (decoupled) x = x.mul(shrink);                // param.mul_(1 - lr * weight_decay)
                FloatVector d = Lanes.load(g, i, m);
                if (l2) d = x.fma(decay, d);                       // grad.add(param, alpha=weight_decay)
                FloatVector avg = d.fma(oneMinusB1, Lanes.load(expAvg, i, m).mul(b1));        // mul_(b1).add_(g, alpha=1-b1)
                FloatVector avgSq = d.mul(oneMinusB2).fma(d, Lanes.load(expAvgSq, i, m).mul(b2)); // mul_(b2).addcmul_(g, g, 1-b2)
                Lanes.store(avg, expAvg, i, m);
                Lanes.store(avgSq, expAvgSq, i, m);
                if (maxExpAvgSq != null) {
                    avgSq = Lanes.load(maxExpAvgSq, i, m).max(avgSq);
                    Lanes.store(avgSq, maxExpAvgSq, i, m);
                }
                FloatVector denom = avgSq.sqrt().div(bc2Sqrt).add(eps);
                Lanes.store(x.add(avg.mul(negStepSize).div(denom)), w, i, m); // param.addcdiv_(exp_avg, denom, -step_size)
            }
        }
        stepCount++;
    }

    double learningRate() {
        return learningRate;
    }

    void setLearningRate(double learningRate) {
        this.learningRate = Checks.learningRate(learningRate);
    }

    long stepCount() {
        return stepCount;
    }

    Map<String, float[]> state() {
        return state.snapshot();
    }

    void loadState(Map<String, float[]> state, long stepCount) {
        Checks.stepCount(stepCount);
        this.state.load(state);
        this.stepCount = stepCount;
    }

    @Override
    public String toString() {
        return name + "(learningRate=" + learningRate + ", betas=(" + beta1 + ", " + beta2 + "), epsilon=" + epsilon
                + ", weightDecay=" + weightDecay + ", amsgrad=" + amsgrad + ")";
    }
}
