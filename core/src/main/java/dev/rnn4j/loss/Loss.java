package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;

/**
 * A differentiable training loss: the mean of a per-element (or per-row) loss over the rows that count, and its
 * gradient with respect to the prediction.
 *
 * <p>Call order in a training step:
 * <ol>
 *   <li>{@code network.zeroGrad()}, then the forward pass, which yields the prediction {@code [N, K]}: one row per
 *       time step of each sequence ({@code N = steps * batch}, time-major, as the layers lay out their output) or
 *       per sequence ({@code N = batch});</li>
 *   <li>{@code loss = lossAndGradient(prediction, targets, gradient)}: the mean loss, and
 *       {@code dLoss/dPrediction} in {@code gradient};</li>
 *   <li>the backward pass, given {@code gradient}; then (optionally) gradient clipping and the optimizer's step.</li>
 * </ol>
 *
 * <p>Reduction, as PyTorch's {@code reduction='mean'}: with {@code M} the number of rows that count (their
 * {@linkplain Targets#rowMask() mask} is 1 and, for class targets, their class is not
 * {@link SoftmaxCrossEntropy#IGNORE}), the elementwise losses average over {@code M * K} elements and the
 * cross-entropy over {@code M} rows. When no row counts the loss is 0 and the gradient is all zeros (not NaN).
 * Rows that do not count are never read: their predictions and targets may hold anything (padding, NaN).
 *
 * <p>Losses are computed in double from the float inputs and summed in double; the gradient is rounded to float
 * once. Implementations are immutable and thread-safe.
 */
public interface Loss {

    /**
     * The mean loss of {@code prediction} against {@code targets}; writes {@code dLoss/dPrediction} into
     * {@code gradient}, overwriting every element (rows that do not count get zeros).
     *
     * @param prediction [N, K]; logits for the cross-entropies (before softmax or sigmoid)
     * @param targets    values [N, K] or class ids [N] (as the loss requires), optionally a row mask [N]
     * @param gradient   [N, K], receives dLoss/dPrediction; must not overlap {@code prediction}; {@code null} to
     *                   compute the loss only
     * @return the mean loss over the rows that count (0 if none does)
     * @throws IllegalArgumentException if shapes disagree, the loss needs the other kind of targets, or a class id
     *                                  is out of range (the message names the row and the value)
     */
    double lossAndGradient(Matrix prediction, Targets targets, Matrix gradient);

    /**
     * The weight of these targets' counted rows in the mean: the number of rows that count, M (or, for a loss that
     * weights rows, their total weight), so that a batch cut into parts has the mean loss
     * {@code Σ mean_part * weight_part / Σ weight_part}, and the gradient alike. This is how a distributed step adds
     * up the gradients of its parts ({@link dev.rnn4j.train.BatchGradient}). (The elementwise losses' K per row is
     * the same in every part and cancels.)
     *
     * @param rows N, the prediction's rows
     */
    default double countedWeight(Targets targets, int rows) {
        int count = 0;
        for (int r = 0; r < rows; r++) {
            if (targets.rowMask() != null && targets.rowMask()[r] == 0f) continue;
            if (targets.classes() != null && targets.classes()[r] == SoftmaxCrossEntropy.IGNORE) continue;
            count++;
        }
        return count;
    }

    /** The mean loss alone, for validation: {@code lossAndGradient(prediction, targets, null)}. */
    default double loss(Matrix prediction, Targets targets) {
        return lossAndGradient(prediction, targets, null);
    }
}
