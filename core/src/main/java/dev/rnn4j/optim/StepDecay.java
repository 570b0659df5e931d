package dev.rnn4j.optim;

/**
 * Multiplies the rate by {@code factor} every {@code epochsPerStep} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR(step_size=epochsPerStep, gamma=factor)}:
 * {@code rate = baseRate * factor^floor(epoch / epochsPerStep)}.
 *
 * @param epochsPerStep PyTorch's {@code step_size}, at least 1
 * @param factor        PyTorch's {@code gamma} (its default is 0.1), positive
 */
public record StepDecay(int epochsPerStep, double factor) implements LearningRateSchedule {

    public StepDecay {
        if (epochsPerStep < 1) throw new IllegalArgumentException("epochsPerStep is " + epochsPerStep + "; expected >= 1");
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor is " + factor + "; expected a positive finite number");
        }
    }

    @Override
    public double rate(double baseRate, int epoch) {
        Schedules.checkEpoch(epoch);
        return baseRate * Math.pow(factor, epoch / epochsPerStep);
    }
}
