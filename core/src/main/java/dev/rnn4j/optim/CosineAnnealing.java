package dev.rnn4j.optim;

/**
 * Anneals the rate from {@code baseRate} down to {@code minimumRate} along half a cosine over
 * {@code epochsToMinimum} epochs, as {@code torch.optim.lr_scheduler.CosineAnnealingLR(T_max=epochsToMinimum,
 * eta_min=minimumRate)} in its closed form:
 * {@code rate = minimumRate + (baseRate - minimumRate) * (1 + cos(pi * epoch / epochsToMinimum)) / 2}.
 * Past {@code epochsToMinimum} the rate rises again along the cosine, as PyTorch's does (no restart).
 *
 * @param epochsToMinimum PyTorch's {@code T_max}, at least 1
 * @param minimumRate     PyTorch's {@code eta_min} (default 0)
 */
public record CosineAnnealing(int epochsToMinimum, double minimumRate) implements LearningRateSchedule {

    public CosineAnnealing {
        if (epochsToMinimum < 1) {
            throw new IllegalArgumentException("epochsToMinimum is " + epochsToMinimum + "; expected >= 1");
        }
        if (!Double.isFinite(minimumRate)) throw new IllegalArgumentException("minimumRate is " + minimumRate);
    }

    /** Annealing to 0, PyTorch's default {@code eta_min}. */
    public CosineAnnealing(int epochsToMinimum) {
        this(epochsToMinimum, 0.0);
    }

    @Override
    public double rate(double baseRate, int epoch) {
        Schedules.checkEpoch(epoch);
        return minimumRate + (baseRate - minimumRate) * (1 + Math.cos(Math.PI * epoch / epochsToMinimum)) / 2;
    }
}
