package dev.rnn4j.optim;

/**
 * Cuts the learning rate when a validation metric stops improving, as
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}.
 *
 * <p>Call order: after each epoch's validation,
 * {@code optimizer.setLearningRate(plateau.onEpochEnd(validationLoss, optimizer.learningRate()))}. An epoch
 * improves on the best so far if its metric beats it by more than the threshold ({@link ThresholdMode}); after
 * more than {@code patience} epochs in a row without improvement the rate is multiplied by {@code factor} (never
 * below {@code minimumRate}, and not at all if that changes it by {@code minimumChange} or less), then
 * {@code cooldown} epochs pass during which epochs without improvement are not counted.
 *
 * <p>Stateful: save {@link #state()} with a checkpoint and {@link #restore(State)} it when resuming. Not
 * thread-safe.
 *
 * <pre>{@code
 * ReduceOnPlateau plateau = ReduceOnPlateau.builder().factor(0.5).patience(2).build(); // minimising
 * }</pre>
 */
public final class ReduceOnPlateau {

    /** Whether smaller or larger metrics are better. */
    public enum Goal {
        /** A loss or error: smaller is better (PyTorch's {@code mode='min'}). */
        MINIMIZE,
        /** An accuracy or score: larger is better ({@code mode='max'}). */
        MAXIMIZE
    }

    /** How the threshold of a significant improvement is measured. */
    public enum ThresholdMode {
        /**
         * Relative to the best: minimising, a metric improves if {@code < best * (1 - threshold)}; maximising, if
         * {@code > best * (1 + threshold)} (PyTorch's {@code threshold_mode='rel'}).
         */
        RELATIVE,
        /** Absolute: {@code < best - threshold} or {@code > best + threshold} ({@code 'abs'}). */
        ABSOLUTE
    }

    /**
     * Everything {@link #onEpochEnd} remembers, for checkpoints.
     *
     * @param best              the best metric so far (+infinity minimising, -infinity maximising, before the first)
     * @param badEpochs         epochs in a row without improvement (PyTorch's {@code num_bad_epochs})
     * @param cooldownRemaining epochs of cooldown left ({@code cooldown_counter})
     * @param epochs            completed epochs ({@code last_epoch})
     */
    public record State(double best, int badEpochs, int cooldownRemaining, long epochs) {
        public State {
            if (Double.isNaN(best)) throw new IllegalArgumentException("best is NaN");
            if (badEpochs < 0 || cooldownRemaining < 0 || epochs < 0) {
                throw new IllegalArgumentException("negative counter in " + this);
            }
        }
    }

    private final Goal goal;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minimumRate;
    private final double minimumChange;
    private double best;
    private int badEpochs;
    private int cooldownRemaining;
    private long epochs;

    private ReduceOnPlateau(Builder b) {
        if (b.goal == null || b.thresholdMode == null) throw new IllegalArgumentException("goal and threshold mode are required");
        if (!(b.factor >= 0 && b.factor < 1)) {
            throw new IllegalArgumentException("factor is " + b.factor + "; expected 0 <= factor < 1");
        }
        if (b.patience < 0) throw new IllegalArgumentException("patience is " + b.patience + "; expected >= 0");
        if (b.cooldown < 0) throw new IllegalArgumentException("cooldown is " + b.cooldown + "; expected >= 0");
        this.goal = b.goal;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = Checks.nonNegative("threshold", b.threshold);
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        this.minimumRate = Checks.nonNegative("minimum rate", b.minimumRate);
        this.minimumChange = Checks.nonNegative("minimum change", b.minimumChange);
        this.best = worst();
    }

    /**
     * A builder with PyTorch's defaults: minimise, factor 0.1, patience 10, threshold 1e-4 relative, cooldown 0,
     * minimum rate 0, minimum change 1e-8.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of {@link ReduceOnPlateau}; defaults are PyTorch's. */
    public static final class Builder {
        private Goal goal = Goal.MINIMIZE;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.RELATIVE;
        private int cooldown;
        private double minimumRate;
        private double minimumChange = 1e-8;

        private Builder() {}

        /** Whether the metric is to be minimised (default) or maximised. */
        public Builder goal(Goal goal) {
            this.goal = goal;
            return this;
        }

        /** The rate is multiplied by this on a plateau; in [0, 1), default 0.1. */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement tolerated before a cut (the cut comes on the next one); default 10. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** What counts as an improvement; default 1e-4, {@link ThresholdMode#RELATIVE}. */
        public Builder threshold(double threshold, ThresholdMode mode) {
            this.threshold = threshold;
            this.thresholdMode = mode;
            return this;
        }

        /** Epochs after a cut during which epochs without improvement are not counted; default 0. */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The rate never goes below this; default 0 (PyTorch's {@code min_lr}). */
        public Builder minimumRate(double minimumRate) {
            this.minimumRate = minimumRate;
            return this;
        }

        /** A cut that changes the rate by this or less is skipped; default 1e-8 (PyTorch's {@code eps}). */
        public Builder minimumChange(double minimumChange) {
            this.minimumChange = minimumChange;
            return this;
        }

        /**
         * Builds the scheduler.
         *
         * @throws IllegalArgumentException for values PyTorch refuses
         */
        public ReduceOnPlateau build() {
            return new ReduceOnPlateau(this);
        }
    }

    /**
     * Records an epoch's validation metric and returns the learning rate for the next epoch: {@code currentRate},
     * or {@code max(currentRate * factor, minimumRate)} if the metric has plateaued. A NaN metric counts as no
     * improvement.
     */
    public double onEpochEnd(double validationMetric, double currentRate) {
        epochs++;
        if (isBetter(validationMetric)) {
            best = validationMetric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownRemaining > 0) {
            cooldownRemaining--;
            badEpochs = 0;
        }
        double rate = currentRate;
        if (badEpochs > patience) {
            double reduced = Math.max(currentRate * factor, minimumRate);
            if (currentRate - reduced > minimumChange) rate = reduced;
            cooldownRemaining = cooldown;
            badEpochs = 0;
        }
        return rate;
    }

    private boolean isBetter(double metric) {
        return switch (goal) {
            case MINIMIZE -> thresholdMode == ThresholdMode.RELATIVE ? metric < best * (1 - threshold) : metric < best - threshold;
            case MAXIMIZE -> thresholdMode == ThresholdMode.RELATIVE ? metric > best * (threshold + 1) : metric > best + threshold;
        };
    }

    private double worst() {
        return goal == Goal.MINIMIZE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** What this remembers, for a checkpoint. */
    public State state() {
        return new State(best, badEpochs, cooldownRemaining, epochs);
    }

    /** Continues from a {@link #state()} saved earlier (with the same settings). */
    public void restore(State state) {
        if (state == null) throw new IllegalArgumentException("state is null");
        this.best = state.best();
        this.badEpochs = state.badEpochs();
        this.cooldownRemaining = state.cooldownRemaining();
        this.epochs = state.epochs();
    }

    /** Forgets the best metric and the counters, as a new instance (PyTorch's {@code _reset}, plus the epoch count). */
    public void reset() {
        restore(new State(worst(), 0, 0, 0));
    }

    @Override
    public String toString() {
        return "ReduceOnPlateau(goal=" + goal + ", factor=" + factor + ", patience=" + patience + ", threshold="
                + threshold + " " + thresholdMode + ", cooldown=" + cooldown + ", minimumRate=" + minimumRate
                + ", minimumChange=" + minimumChange + ")";
    }
}
