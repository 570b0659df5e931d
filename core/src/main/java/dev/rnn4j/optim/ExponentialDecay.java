package dev.rnn4j.optim;

/**
 * Keeps the rate for {@code constantEpochs} epochs, then multiplies it by {@code factor} every epoch:
 * {@code rate = baseRate * factor^max(0, epoch + 1 - constantEpochs)} (epochs counted from 0). With one constant
 * epoch it is {@code torch.optim.lr_scheduler.ExponentialLR(gamma=factor)}, {@code baseRate * factor^epoch}.
 *
 * <p>Zaremba et al.'s Penn Treebank schedule is {@code new ExponentialDecay(0.5, 4)}: rate 1 for epochs 1 to 4, then
 * halved for every epoch from the fifth on (TensorFlow ptb_word_lm's {@code lr_decay ** max(i + 1 - max_epoch, 0)}).
 *
 * @param factor         PyTorch's {@code gamma}, positive
 * @param constantEpochs epochs at the base rate, at least 1 (PyTorch's ExponentialLR)
 */
public record ExponentialDecay(double factor, int constantEpochs) implements LearningRateSchedule {

    public ExponentialDecay {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor is " + factor + "; expected a positive finite number");
        }
        if (constantEpochs < 1) throw new IllegalArgumentException("constantEpochs is " + constantEpochs + "; expected >= 1");
    }

    /** PyTorch's ExponentialLR: the decay starts at once. */
    public ExponentialDecay(double factor) {
        this(factor, 1);
    }

    @Override
    public double rate(double baseRate, int epoch) {
        Schedules.checkEpoch(epoch);
        return baseRate * Math.pow(factor, Math.max(0, epoch + 1 - constantEpochs));
    }
}
