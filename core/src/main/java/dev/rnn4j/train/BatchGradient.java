package dev.rnn4j.train;

import dev.rnn4j.loss.Loss;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Matrix;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.tensor.VectorMath;

import java.util.List;
import java.util.Objects;

/**
 * The gradient of one training step's loss over a batch, or over a part of a step's global batch: the forward pass
 * in training mode with the step's dropout and zoneout masks, the loss, the backward pass, the gradients added into
 * the parameters' grads. {@link Trainer} computes every step's gradient here, and so does each worker of a
 * distributed step, so both run one formula.
 *
 * <p><b>Parts of a batch.</b> A batch's mean loss is {@code Σ_p mean_p W_p / W} over its parts p, with
 * {@code W_p} the part's {@linkplain Loss#countedWeight counted weight} and {@code W = Σ_p W_p}. A worker adds
 * the gradient of its part's {@link Reduction#SUM} ({@code mean_p W_p}); the driver adds up the workers' gradients
 * and divides by W ({@link #divide}). The masks of a sequence depend on the step and on its id
 * ({@link Batch#exampleIds()}), never on the part it lands in, so the sum is the one process's gradient, up to the
 * order of floating-point additions.
 *
 * <pre>{@code
 * BatchGradient g = new BatchGradient(model, loss, seed);
 * model.zeroGrad();
 * BatchGradient.Part part = g.accumulate(share, step, BatchGradient.Reduction.SUM);
 * // ... sum the grads and the parts' weights over the workers, then on the driver:
 * BatchGradient.divide(parameters, totalWeight);
 * }</pre>
 */
public final class BatchGradient {
    /** What the added gradient is the gradient of. */
    public enum Reduction {
        /** The batch's mean loss: a whole step's batch. */
        MEAN,
        /** The mean loss times the counted weight: one part of a step's global batch. */
        SUM
    }

    /**
     * What a part contributed.
     *
     * @param loss   the part's mean loss times its weight for {@link Reduction#SUM}, its mean loss for {@code MEAN}
     * @param weight the part's counted weight ({@link Loss#countedWeight})
     */
    public record Part(double loss, double weight) {}

    private final SequenceModel model;
    private final Loss loss;
    private final long seed;
    private float[] gradient = new float[0]; // [N, K] dL/d predictions

    /** For the model trained by a run seeded {@code seed} (the masks of step s come from the seed and s). */
    public BatchGradient(SequenceModel model, Loss loss, long seed) {
        this.model = Objects.requireNonNull(model, "model");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.seed = seed;
    }

    /**
     * Adds the gradient of {@code batch}'s loss (see {@link Reduction}) at training step {@code step} (0-based) to
     * the parameters' grads: puts the network in training mode with that step's masks, keyed by the batch's
     * example ids, and runs forward, loss and backward. Does not zero the grads.
     */
    public Part accumulate(Batch batch, long step, Reduction reduction) {
        model.recurrent().setTraining(true);
        model.recurrent().setMaskSeed(Seeds.derive(seed, Seeds.MASKS, step));
        model.recurrent().setMaskRows(batch.exampleIds());
        Matrix predictions = model.forward(batch.input());
        int rows = predictions.rows(), cols = predictions.cols();
        if (gradient.length != rows * cols) gradient = new float[rows * cols];
        Matrix dPredictions = Matrix.of(gradient, rows, cols);
        double mean = loss.lossAndGradient(predictions, batch.targets(), dPredictions);
        double weight = loss.countedWeight(batch.targets(), rows);
        if (reduction == Reduction.SUM) {
            VectorMath.scale(dPredictions, (float) weight);
        }
        if (Double.isFinite(mean)) model.backward(dPredictions);
        return new Part(reduction == Reduction.SUM ? mean * weight : mean, weight);
    }

    /** Divides every grad by {@code totalWeight}: the sum of the parts' gradients becomes the global batch's. */
    public static void divide(List<Parameter> parameters, double totalWeight) {
        if (!(totalWeight > 0)) throw new IllegalArgumentException("no row of the global batch counts (total weight " + totalWeight + ")");
        for (Parameter p : parameters) {
            float[] g = p.grad();
            for (int i = 0; i < g.length; i++) g[i] = (float) (g[i] / totalWeight);
        }
    }
}
