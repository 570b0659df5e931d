package dev.rnn4j.loss;

import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.VectorMath;

import java.util.Objects;

/**
 * A loss whose gradient is {@code scale} times that of {@code loss}, while the value it reports is {@code loss}'s own.
 *
 * <p>For Zaremba et al.'s language models: their reference code (TensorFlow's ptb_word_lm, the original Lua) takes
 * the gradient of the batch-mean cross-entropy summed over the unrolled steps, which is the per-token mean times
 * the steps, while loss and perplexity are reported per token. With plain SGD and clipping that factor is part of
 * the recipe: it is not the same as a larger learning rate once the norm is clipped.
 *
 * @param loss  the loss reported
 * @param scale the gradient's factor, positive and finite
 */
public record GradientScaled(Loss loss, double scale) implements Loss {

    public GradientScaled {
        Objects.requireNonNull(loss, "loss");
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("gradient scale must be positive and finite, got " + scale);
    }

    @Override
    public double lossAndGradient(Matrix prediction, Targets targets, Matrix gradient) {
        double value = loss.lossAndGradient(prediction, targets, gradient);
        if (gradient != null && scale != 1) VectorMath.scale(gradient, (float) scale);
        return value;
    }

    /** The wrapped loss's: scaling the gradient does not change what the mean is taken over. */
    @Override
    public double countedWeight(Targets targets, int rows) {
        return loss.countedWeight(targets, rows);
    }

    @Override
    public String toString() {
        return loss + " (gradient x " + scale + ")";
    }
}
