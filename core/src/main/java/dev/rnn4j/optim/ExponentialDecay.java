package dev.rnn4j.optim;

/**
 * Multiplies the rate by {@code factor} every epoch, as {@code torch.optim.lr_scheduler.ExponentialLR(gamma=factor)}:
 * {@code rate = baseRate * factor^epoch}.
 *
 * @param factor PyTorch's {@code gamma}, positive
 */
public record ExponentialDecay(double factor) implements LearningRateSchedule {

    public ExponentialDecay {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor is " + factor + "; expected a positive finite number");
        }
    }

    @Override
    public double rate(double baseRate, int epoch) {
        Schedules.checkEpoch(epoch);
        return baseRate * Math.pow(factor, epoch);
    }
}
