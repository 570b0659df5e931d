package dev.rnn4j.optim;

/**
 * A learning rate that is a function of the epoch alone (PyTorch's closed-form schedulers).
 *
 * <p>Call order: at the start of each epoch {@code e} = 0, 1, 2, ..., before its first step,
 * {@code optimizer.setLearningRate(schedule.rate(baseRate, e))}. Epoch 0 gets {@code baseRate}; epoch {@code e}
 * gets the rate PyTorch's scheduler gives after {@code e} calls of {@code scheduler.step()}. A schedule can as well
 * be driven per training step instead of per epoch: {@code epoch} is then the step count, as with PyTorch's
 * schedulers stepped once per batch.
 *
 * <p>Implementations are immutable records. The metric-driven {@link ReduceOnPlateau} is not a
 * {@code LearningRateSchedule}: its rate depends on the history of a validation metric, not on the epoch.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate of an epoch.
     *
     * @param baseRate the rate of epoch 0 (PyTorch's {@code base_lr}: the optimizer's initial learning rate)
     * @param epoch    0-based
     * @throws IllegalArgumentException if {@code epoch} is negative
     */
    double rate(double baseRate, int epoch);
}
