package dev.rnn4j.optim;

import dev.rnn4j.tensor.Parameter;

import java.util.List;
import java.util.Map;

/**
 * What every optimizer of this package shares: the learning rate, the step count and the per-parameter slots
 * ({@link SlotState}), with {@link Optimizer}'s step and checkpoint contract. A subclass writes only its update.
 */
abstract class SlotOptimizer implements Optimizer {
    /** The per-parameter buffers, created on first use. */
    final SlotState slots;
    private double learningRate;
    private long stepCount;

    /**
     * Checks the learning rate first (before the subclass checks its other hyperparameters, as PyTorch does).
     *
     * @param owner     the optimizer as the state's messages name it, e.g. {@code "Adam(amsgrad=true)"}
     * @param slotNames PyTorch's names of the per-parameter buffers, in a fixed order
     */
    SlotOptimizer(double learningRate, String owner, List<String> slotNames) {
        this.learningRate = Checks.learningRate(learningRate);
        this.slots = new SlotState(owner, slotNames);
    }

    /** Updates every parameter from its gradient; {@link #stepCount()} is still the count before this step. */
    abstract void update(List<Parameter> parameters);

    @Override
    public void step(List<Parameter> parameters) {
        SlotState.checkUniqueNames(parameters);
        update(parameters);
        stepCount++;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = Checks.learningRate(learningRate);
    }

    @Override
    public long stepCount() {
        return stepCount;
    }

    @Override
    public Map<String, float[]> state() {
        return slots.snapshot();
    }

    @Override
    public void loadState(Map<String, float[]> state, long stepCount) {
        Checks.stepCount(stepCount);
        slots.load(state);
        this.stepCount = stepCount;
    }
}
