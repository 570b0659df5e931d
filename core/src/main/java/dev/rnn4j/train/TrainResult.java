package dev.rnn4j.train;

/**
 * How a training run ended.
 *
 * @param steps              completed training steps
 * @param epochs             completed epochs
 * @param lastLoss           the last step's training loss (NaN before any step)
 * @param bestValidationLoss the best validation loss (NaN without validation)
 * @param bestStep           the step of the best validation (-1 without validation)
 * @param stoppedEarly       whether early stopping ended the run
 * @param restoredBest       whether the model now holds the parameters of the best validation
 * @param interrupted        whether {@link Trainer#requestStop()} ended the run before its limit (the model then holds
 *                           the last step's parameters, and the run can be resumed)
 * @param skippedSteps       steps whose update was dropped for a non-finite value ({@link NonFiniteAction#SKIP})
 * @param nonFinite          the NaN or infinity that ended the run ({@link NonFiniteAction#STOP}, or a parameter that
 *                           went non-finite), or null; no checkpoint was written after it
 */
public record TrainResult(long steps, int epochs, double lastLoss, double bestValidationLoss, long bestStep, boolean stoppedEarly,
                          boolean restoredBest, boolean interrupted, long skippedSteps, NonFiniteValue nonFinite) {

    /** Whether the run went to its end (its limit or early stopping): neither interrupted nor stopped by a NaN. */
    public boolean finished() {
        return !interrupted && nonFinite == null;
    }
}
