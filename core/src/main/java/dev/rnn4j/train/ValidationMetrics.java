package dev.rnn4j.train;

/**
 * What a {@link TrainingListener} hears after every validation (at the end of each epoch that has validation data).
 *
 * @param step                         completed training steps
 * @param epoch                        the epoch that just ended, 0-based
 * @param loss                         the validation loss: the mean over every row that counts in the validation
 *                                     batches (each batch's loss weighted by its counted rows)
 * @param bestLoss                     the best validation loss so far, this one included
 * @param bestStep                     the step of the best validation
 * @param improved                     whether this validation is the new best (by more than early stopping's
 *                                     {@code minDelta}, if set)
 * @param validationsWithoutImprovement validations in a row without improvement, this one included (0 if improved)
 * @param learningRate                 the learning rate from now on (after ReduceOnPlateau, if set)
 */
public record ValidationMetrics(long step, int epoch, double loss, double bestLoss, long bestStep, boolean improved,
                                int validationsWithoutImprovement, double learningRate) {
}
