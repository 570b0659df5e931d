package dev.rnn4j.train;

/**
 * What a {@link Trainer} does when a training step produces a NaN or infinite loss, gradient or parameter
 * ({@link TrainConfig#onNonFinite()}). Either way the step is found where it happens and named in a
 * {@link NonFiniteValue}.
 */
public enum NonFiniteAction {
    /**
     * Drop that step's update (the optimizer does not step; the batch counts as seen) and go on; the steps dropped
     * are counted in {@link TrainResult#skippedSteps()} and reported to {@link TrainingListener#onSkippedStep}. A
     * parameter that became non-finite in an update cannot be taken back: that still stops the run.
     */
    SKIP,
    /**
     * End training at that step: no checkpoint is written after it (the last good one stays), the best parameters
     * are restored as at a normal end, and {@link TrainResult#nonFinite()} says what went wrong.
     */
    STOP
}
