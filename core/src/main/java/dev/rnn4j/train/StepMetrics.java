package dev.rnn4j.train;

/**
 * What a {@link TrainingListener} hears after every training step.
 *
 * @param step           completed training steps (optimizer updates), 1 after the first
 * @param epoch          the epoch of this step, 0-based
 * @param loss           the step's training loss (of its chunk, with truncated BPTT)
 * @param gradientNorm   the global L2 norm of all parameter gradients before clipping (a norm that keeps growing
 *                       signals exploding gradients)
 * @param learningRate   the learning rate this step used
 * @param seconds        wall-clock seconds of this step (forward, loss, backward, clipping, update)
 * @param elapsedSeconds wall-clock seconds since this {@code fit} call started
 * @param examples       sequences in this step's batch (for examples per second)
 */
public record StepMetrics(long step, int epoch, double loss, double gradientNorm, double learningRate, double seconds,
                          double elapsedSeconds, int examples) {
}
