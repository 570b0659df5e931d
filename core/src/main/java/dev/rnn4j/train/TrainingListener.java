package dev.rnn4j.train;

import java.nio.file.Path;

/**
 * Hears what a {@link Trainer} does, for logging, progress bars and plots. Every method has an empty default.
 * Called on the training thread, between steps: a slow listener slows training but changes none of its results.
 */
public interface TrainingListener {

    /** When {@code fit} starts, before its first step: where the run stands and how long it is planned to be. */
    default void onStart(TrainingStart start) {}

    /** After every training step (see {@link Trainer} for the order within a step). */
    default void onStep(StepMetrics metrics) {}

    /**
     * Instead of {@link #onStep} for a step whose update was dropped for a NaN or infinity
     * ({@link NonFiniteAction#SKIP}).
     */
    default void onSkippedStep(NonFiniteValue value) {}

    /** After every validation, and after ReduceOnPlateau and early stopping have seen it. */
    default void onValidation(ValidationMetrics metrics) {}

    /** After a checkpoint has been written (atomically) to {@code file}. */
    default void onCheckpoint(Path file, long step) {}

    /** When {@code fit} ends, after the best parameters have been restored (if configured). */
    default void onEnd(TrainResult result) {}
}
